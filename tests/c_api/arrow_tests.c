/* The Arrow C Data Interface, in C, with arrays built by hand as a producer would: a
 * record batch of every input type (bit-packed bools, a dictionary-encoded enum, enum
 * names, narrow integers, date32, decimal128 rates, nulls, a child with an offset, a null
 * row of the struct) decides exactly as the same values bound column by column; the
 * outputs come back as an Arrow struct array that releases cleanly; and what cannot be
 * read exactly is refused with a message naming the column. */
#include <kijun/arrow.h>
#include <kijun/kijun.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                                         \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);             \
      ++failures;                                                                           \
    }                                                                                       \
  } while (0)

#define ROWS 100
#define MAX_INPUTS 64

static int contains(const char* s, const char* part) { return s && strstr(s, part) != NULL; }
static void no_release_schema(struct ArrowSchema* s) { s->release = NULL; }
static void no_release_array(struct ArrowArray* a) { a->release = NULL; }

/* One child column: its schema, array and buffers, kept in static storage. */
struct column {
  struct ArrowSchema schema;
  struct ArrowArray array;
  const void* buffers[3];
  unsigned char bits[ROWS / 8 + 2];  /* values of a "b" column */
  unsigned char valid[ROWS / 8 + 2];
  int64_t longs[ROWS + 4];
  int32_t ints[ROWS + 4];
  int64_t decimals[2 * ROWS];
  char chars[ROWS * 16];
  int32_t offsets[ROWS + 1];
};
static struct column cols[MAX_INPUTS];
static struct ArrowSchema* schema_children[MAX_INPUTS];
static struct ArrowArray* array_children[MAX_INPUTS];
static struct ArrowSchema dict_schema;
static struct ArrowArray dict_array;
static const void* dict_buffers[3];
static const char dict_chars[] = "sole_proprietorcorporation";
static const int32_t dict_offsets[] = {0, 15, 26};

/* The value of input `name` in row r, as both bindings give it (codes for enums). */
static int64_t value_of(const kijun_input* in, int r, int64_t day) {
  if (in->type == KIJUN_INPUT_BOOL) return strcmp(in->name, "gbizid_prime") == 0 ? r % 7 != 0 : strstr("registered_in_japan documents_submitted mobile_phone_registered productivity_plan_reasonable reports_to_secretariat agrees_to_terms no_legal_issues service_listed", in->name) != NULL;
  if (in->type == KIJUN_INPUT_DATE) return day;
  if (in->type == KIJUN_INPUT_RATE) return 2; /* 2/100: decimal128(5, 2) 0.02 */
  if (in->type == KIJUN_INPUT_ENUM) {
    const char* v = strcmp(in->name, "legal_form") == 0 ? "corporation" : strcmp(in->name, "industry") == 0 ? "manufacturing"
                  : strcmp(in->name, "security_action") == 0 ? "one_star" : "none";
    if (strcmp(in->name, "security_action") == 0 && r == 5) return 9; /* not a value: the row is refused */
    return kijun_input_enum_code(in, v);
  }
  if (strcmp(in->name, "employees") == 0) return r * 5;
  if (strcmp(in->name, "workplace_min_wage_yen") == 0) return 1100;
  if (strcmp(in->name, "regional_min_wage_yen") == 0) return 1050;
  if (strcmp(in->name, "service_fee_yen") == 0) return 60000 + r * 17000;
  if (strcmp(in->name, "capital_yen") == 0) return 10000000;
  return 0;
}

static int present(const kijun_input* in, int r) {
  if (r == 7) return 0; /* the struct's null row */
  if (strcmp(in->name, "capital_yen") == 0) return r % 3 != 0;
  return !in->optional || in->type == KIJUN_INPUT_RATE;
}

static void set_bit(unsigned char* bits, int i) { bits[i / 8] |= (unsigned char)(1u << (i % 8)); }

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "rulesets/it-hojo/2026";
  kijun_load_options options;
  memset(&options, 0, sizeof options);
  options.size = sizeof options;
  options.flags = KIJUN_LOAD_NO_CACHE;
  kijun_ruleset* rules = NULL;
  kijun_error* e = kijun_ruleset_open(path, &options, &rules);
  CHECK(e == NULL && rules != NULL);
  if (!rules) return 1;
  const kijun_input* inputs = NULL;
  size_t n = 0;
  CHECK(kijun_frame_inputs(rules, "security", &inputs, &n) == NULL && n <= MAX_INPUTS);
  int ok = 0;
  int64_t day = kijun_parse_day("2026-06-01", &ok);

  /* The same values, bound column by column as int64 and bytes. */
  static int64_t plain[MAX_INPUTS][ROWS], dens[ROWS];
  static uint8_t flags[MAX_INPUTS][ROWS], plain_valid[MAX_INPUTS][ROWS / 8 + 1];
  kijun_batch* by_column = NULL;
  CHECK(kijun_batch_create(rules, "security", &by_column) == NULL);
  for (int r = 0; r < ROWS; ++r) dens[r] = 100;

  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const kijun_input* in = &inputs[i];
    if (in->type == KIJUN_INPUT_TEXT) continue;
    struct column* c = &cols[k];
    memset(c, 0, sizeof *c);
    memset(plain_valid[i], 0, sizeof plain_valid[i]);
    int any_null = 0;
    for (int r = 0; r < ROWS; ++r) {
      int64_t v = value_of(in, r, day);
      if (present(in, r)) set_bit(c->valid, r), set_bit(plain_valid[i], r);
      else any_null = 1;
      plain[i][r] = v, flags[i][r] = (uint8_t)v;
      if (v) set_bit(c->bits, r);
      c->ints[r] = (int32_t)v;
      c->longs[r + 2] = v; /* this column's values start at element 2 (offset 2) */
      c->decimals[2 * r] = 2, c->decimals[2 * r + 1] = 0;
    }
    c->schema = (struct ArrowSchema){"l", in->name, NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, no_release_schema, NULL};
    c->array = (struct ArrowArray){ROWS, any_null ? 1 : 0, 0, 2, 0, c->buffers, NULL, NULL, no_release_array, NULL};
    c->buffers[0] = any_null ? c->valid : NULL;
    switch (in->type) {
      case KIJUN_INPUT_BOOL:
        c->schema.format = "b", c->buffers[1] = c->bits;
        e = kijun_batch_bind_bool(by_column, in->name, flags[i], plain_valid[i]);
        break;
      case KIJUN_INPUT_RATE: /* 0.02 as decimal128(5, 2); the column binding as 2/100 */
        c->schema.format = "d:5,2", c->buffers[1] = c->decimals;
        e = kijun_batch_bind_rate(by_column, in->name, plain[i], dens, plain_valid[i]);
        break;
      case KIJUN_INPUT_DATE:
        c->schema.format = "tdD", c->buffers[1] = c->ints;
        e = kijun_batch_bind_int64(by_column, in->name, plain[i], plain_valid[i]);
        break;
      default:
        if (strcmp(in->name, "legal_form") == 0) { /* dictionary-encoded names */
          for (int r = 0; r < ROWS; ++r) c->ints[r] = 1;
          dict_buffers[0] = NULL, dict_buffers[1] = dict_offsets, dict_buffers[2] = dict_chars;
          dict_schema = (struct ArrowSchema){"u", NULL, NULL, 0, 0, NULL, NULL, no_release_schema, NULL};
          dict_array = (struct ArrowArray){2, 0, 0, 3, 0, dict_buffers, NULL, NULL, no_release_array, NULL};
          c->schema.format = "i", c->schema.dictionary = &dict_schema, c->array.dictionary = &dict_array;
          c->buffers[1] = c->ints;
        } else if (strcmp(in->name, "industry") == 0) { /* names */
          for (int r = 0; r < ROWS; ++r) c->offsets[r + 1] = c->offsets[r] + 13;
          for (int r = 0; r < ROWS; ++r) memcpy(c->chars + 13 * r, "manufacturing", 13);
          c->schema.format = "u", c->array.n_buffers = 3, c->buffers[1] = c->offsets, c->buffers[2] = c->chars;
        } else if (strcmp(in->name, "employees") == 0) { /* int32 */
          c->schema.format = "i", c->buffers[1] = c->ints;
        } else { /* int64 read in place, from element 2 of its buffer */
          c->array.offset = 2, c->buffers[1] = c->longs;
          if (any_null) { /* the bitmap then starts at bit 2 as well */
            memset(c->valid, 0, sizeof c->valid);
            for (int r = 0; r < ROWS; ++r) if (present(in, r)) set_bit(c->valid, r + 2);
          }
        }
        e = kijun_batch_bind_int64(by_column, in->name, plain[i], plain_valid[i]);
    }
    CHECK(e == NULL);
    kijun_error_destroy(e);
    schema_children[k] = &c->schema, array_children[k] = &c->array;
    ++k;
  }
  /* The struct: row 7 is null, which makes each of its inputs absent. */
  static unsigned char struct_valid[ROWS / 8 + 1];
  memset(struct_valid, 0xFF, sizeof struct_valid);
  struct_valid[0] &= (unsigned char)~(1u << 7);
  const void* struct_buffers[1] = {struct_valid};
  struct ArrowSchema batch_schema = {"+s", "", NULL, 0, (int64_t)k, schema_children, NULL, no_release_schema, NULL};
  struct ArrowArray batch_array = {ROWS, 1, 0, 1, (int64_t)k, struct_buffers, array_children, NULL, no_release_array, NULL};

  kijun_batch* by_arrow = NULL;
  CHECK(kijun_batch_create(rules, "security", &by_arrow) == NULL);
  int64_t rows = 0;
  e = kijun_batch_bind_arrow(by_arrow, &batch_schema, &batch_array, &rows);
  if (e) fprintf(stderr, "bind_arrow: %s\n", kijun_error_message(e));
  CHECK(e == NULL && rows == ROWS);
  kijun_error_destroy(e);
  e = kijun_batch_run(by_arrow, rows + 1); /* more rows than the arrays hold */
  CHECK(e != NULL && contains(kijun_error_message(e), "the Arrow arrays bound hold 100 rows"));
  kijun_error_destroy(e);
  CHECK(kijun_batch_run(by_arrow, rows) == NULL);
  CHECK(kijun_batch_run(by_column, ROWS) == NULL);
  int eligible = 0, refused = 0, reported = 0;
  for (int r = 0; r < ROWS; ++r) {
    char *a = NULL, *b = NULL;
    CHECK(kijun_batch_row_json(by_arrow, r, "p", &a) == NULL && kijun_batch_row_json(by_column, r, "p", &b) == NULL);
    if (r != 7 && strcmp(a, b) != 0 && !reported++) fprintf(stderr, "row %d:\n  arrow  %s\n  column %s\n", r, a, b);
    if (r != 7) CHECK(strcmp(a, b) == 0);
    eligible += contains(a, "\"eligible\":true"), refused += contains(a, "\"eligible\":false");
    kijun_string_free(a), kijun_string_free(b);
  }
  CHECK(eligible > 0 && refused > 0);
  kijun_decision d;
  CHECK(kijun_batch_decision(by_arrow, 7, &d) == NULL && !d.decided && contains(d.error, "required value missing"));
  CHECK(kijun_batch_decision(by_arrow, 5, &d) == NULL && !d.decided && contains(d.error, "security_action: 9"));

  /* The outputs as Arrow. */
  struct ArrowSchema out_schema;
  struct ArrowArray out_array;
  CHECK(kijun_batch_export_arrow(by_arrow, &out_schema, &out_array) == NULL);
  CHECK(strcmp(out_schema.format, "+s") == 0 && out_array.length == ROWS && out_schema.n_children == out_array.n_children);
  const int64_t* paid = NULL;
  const unsigned char* decided = NULL;
  const char* error_chars = NULL;
  const int64_t* error_offsets = NULL;
  for (int64_t c = 0; c < out_schema.n_children; ++c) {
    const char* name = out_schema.children[c]->name;
    const struct ArrowArray* a = out_array.children[c];
    if (strcmp(name, "paid_amount_yen") == 0) paid = a->buffers[1];
    if (strcmp(name, "paid_amount_yen") == 0) CHECK(strcmp(out_schema.children[c]->format, "l") == 0);
    if (strcmp(name, "decided") == 0) decided = a->buffers[1];
    if (strcmp(name, "error") == 0) error_offsets = a->buffers[1], error_chars = a->buffers[2];
    if (strcmp(name, "failed_rules") == 0) CHECK(out_schema.children[c]->format[0] == 'w');
  }
  CHECK(paid && decided && error_offsets && error_chars);
  for (int r = 0; paid && decided && error_offsets && r < ROWS; ++r) {
    int is_decided = (decided[r / 8] >> (r % 8)) & 1;
    CHECK(is_decided == (kijun_batch_error(by_arrow)[r] == 0));
    if (is_decided) CHECK(paid[r] == kijun_batch_paid_amount(by_arrow)[r]);
    else CHECK(error_offsets[r + 1] > error_offsets[r]);
  }
  out_array.release(&out_array);
  out_schema.release(&out_schema);
  CHECK(out_array.release == NULL && out_schema.release == NULL);

  /* What cannot be read exactly is refused, naming the column. */
  cols[0].schema.format = "g"; /* a float64 column */
  e = kijun_batch_bind_arrow(by_arrow, &batch_schema, &batch_array, &rows);
  CHECK(e != NULL && contains(kijun_error_message(e), cols[0].schema.name));
  kijun_error_destroy(e);
  cols[0].schema.name = "no_such_input";
  e = kijun_batch_bind_arrow(by_arrow, &batch_schema, &batch_array, &rows);
  CHECK(e != NULL && contains(kijun_error_message(e), "`no_such_input` is not an input of frame security"));
  kijun_error_destroy(e);
  batch_schema.format = "+l";
  e = kijun_batch_bind_arrow(by_arrow, &batch_schema, &batch_array, &rows);
  CHECK(e != NULL && contains(kijun_error_message(e), "struct array"));
  kijun_error_destroy(e);

  kijun_batch_destroy(by_arrow);
  kijun_batch_destroy(by_column);
  kijun_ruleset_destroy(rules);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  return failures ? 1 : 0;
}
