/* The ahead-of-time ruleset plugin ABI. `kijun build` writes a shared library that exports
 * one function, KIJUN_PLUGIN_ENTRY, returning a descriptor: the native function of every
 * frame, and the ruleset image (schema, rules, citations, labels, version dates, sources)
 * the runtime needs to use them without a compiler. The runtime refuses a plugin whose
 * ABI version differs from its own, whose image is corrupt, or whose recorded content hash
 * does not match the sources it carries. */
#ifndef KIJUN_PLUGIN_H
#define KIJUN_PLUGIN_H

#include <stdint.h>

#include "kijun/batch.h"
#include "kijun/extension.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KIJUN_PLUGIN_ABI_VERSION 1u
#define KIJUN_PLUGIN_ENTRY "kijun_plugin_descriptor"

typedef struct kijun_plugin {
  uint32_t abi_version;            /* KIJUN_PLUGIN_ABI_VERSION of the kijun that built it */
  uint32_t frame_count;
  const char* const* frame_names;  /* frame_count names, in the image's frame order */
  const kijun_frame_fn* frames;    /* frame_count functions */
  const unsigned char* image;      /* the ruleset image (compiler/ir/image.hpp) */
  uint64_t image_size;
  const char* content_hash;        /* "sha256:…" of the rule sources */
  const char* programme;
  int64_t fiscal_year;
  const char* target;              /* "<triple> <cpu>" the code was built for */
  kijun_ext_fn* extension_table;   /* extension_count entries the loader fills (kijun/extension.h) */
  uint32_t extension_count;
} kijun_plugin;

typedef const kijun_plugin* (*kijun_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
