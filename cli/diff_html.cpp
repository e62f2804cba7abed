// The HTML report of `kijun diff`: one file with its style, chart (inline SVG) and a few
// lines of script inside; a content security policy forbids fetching anything, so the
// report reads the same offline, archived, or attached to an audit file.
#include <algorithm>
#include <string>

#include "cli/diff_report.hpp"

namespace kijun::cli {

namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string n(std::size_t v) { return runtime::grouped(static_cast<long long>(v)); }

constexpr const char* style = R"(
body{font:15px/1.5 system-ui,"Noto Sans CJK JP",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d232a}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #e3e6ea}
.num{text-align:right;font-variant-numeric:tabular-nums}
.added{color:#17692f}.removed{color:#a3261f}.changed{color:#8a5a00}
.change{border-left:4px solid #ccd;padding:.2rem .8rem;margin:.8rem 0}.change.added{border-color:#2e9e4f}
.change.removed{border-color:#d0453b}.change.changed{border-color:#d4a017}.change>div{color:#1d232a}
.part{font-family:ui-monospace,monospace;font-size:13px;white-space:pre-wrap;margin:.1rem 0}
.before{background:#fdecea}.after{background:#e8f6ec}.cite{font-weight:600}.muted{color:#5b6570}
details{margin:.4rem 0}summary{cursor:pointer}code,.record{font-family:ui-monospace,monospace;font-size:12.5px}
.record{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:.3rem}
.example{margin:.5rem 0 .8rem 1rem}svg text{font:12px system-ui,sans-serif}
)";

constexpr const char* script = R"(
document.getElementById('expand').addEventListener('click', function () {
  var all = document.querySelectorAll('details');
  var open = Array.prototype.some.call(all, function (d) { return !d.open; });
  all.forEach(function (d) { d.open = open; });
});
document.body.dataset.ready = 'yes';
)";

std::string version_text(const VersionInfo& v) {
  std::string s = "<code>" + esc(v.spec) + "</code> — " + esc(v.programme) + " " + std::to_string(v.fiscal_year);
  if (v.version) s += ", version " + esc(*v.version) + (v.version_note.empty() ? "" : ": " + esc(v.version_note));
  return s + " <span class=muted>" + esc(v.content_hash.substr(0, 19)) + "…</span>";
}

void structure(std::string& out, const DiffReport& r) {
  out += "<h2 id=rules>Rules: " + n(r.changes.size()) + (r.changes.size() == 1 ? " change" : " changes") + "</h2>\n";
  if (r.changes.empty()) out += "<p>The two versions have the same rules (layout and comments aside).</p>\n";
  for (auto& c : r.changes) {
    std::string word = change_word(c.kind);
    out += "<div class=\"change " + word + "\" data-rule=\"" + esc(c.name) + "\"><div><strong class=" + word + ">" + word +
           "</strong> " + esc(c.entry_kind) + " <code>" + esc(c.name) + "</code>";
    if (!c.cite.empty()) out += " <span class=cite>" + esc(c.cite) + "</span>";
    if (!c.label.empty()) out += " " + esc(c.label);
    if (!r.effective.empty()) out += " <span class=muted>(effective " + esc(r.effective) + ")</span>";
    out += "</div>\n";
    for (auto& p : c.parts) {
      if (!p.before.empty()) out += "<div class=\"part before\">− " + esc(p.part) + ": " + esc(p.before) + "</div>\n";
      if (!p.after.empty()) out += "<div class=\"part after\">+ " + esc(p.part) + ": " + esc(p.after) + "</div>\n";
    }
    out += "</div>\n";
  }
}

// Bars of the amount-delta buckets: losses left in red, gains right in green.
void chart(std::string& out, const runtime::FrameBehaviour& f) {
  std::size_t most = 0;
  for (auto& b : f.amount_deltas) most = std::max(most, b.count);
  if (!most) {
    out += "<p class=muted>No amount changed.</p>\n";
    return;
  }
  const int bar_h = 22, label_w = 190, width = 420, count_w = 90;
  int h = static_cast<int>(f.amount_deltas.size()) * bar_h + 24;
  out += "<svg role=img aria-label=\"amount deltas of " + esc(f.frame) + "\" width=" + std::to_string(label_w + width + count_w) +
         " height=" + std::to_string(h) + " viewBox=\"0 0 " + std::to_string(label_w + width + count_w) + " " + std::to_string(h) + "\">\n";
  out += "<text x=0 y=14 font-weight=600>Change in amount (yen) per applicant decided by both versions</text>\n";
  int y = 24;
  for (auto& b : f.amount_deltas) {
    int w = b.count ? std::max(2, static_cast<int>(static_cast<double>(b.count) / static_cast<double>(most) * width)) : 0;
    const char* fill = b.hi < 0 ? "#d0453b" : "#2e9e4f";
    out += "<text x=" + std::to_string(label_w - 8) + " y=" + std::to_string(y + 15) + " text-anchor=end>" + esc(b.label) + "</text>";
    out += "<rect x=" + std::to_string(label_w) + " y=" + std::to_string(y + 3) + " width=" + std::to_string(w) + " height=" +
           std::to_string(bar_h - 6) + " fill=\"" + fill + "\"><title>" + esc(b.label) + ": " + n(b.count) + "</title></rect>";
    out += "<text x=" + std::to_string(label_w + w + 6) + " y=" + std::to_string(y + 15) + ">" + n(b.count) + "</text>\n";
    y += bar_h;
  }
  out += "</svg>\n";
}

void group(std::string& out, const runtime::ChangeGroup& g) {
  bool flip = g.kind == runtime::ChangeKind::became_ineligible || g.kind == runtime::ChangeKind::became_eligible;
  out += "<details class=group data-kind=" + std::string(runtime::change_kind_name(g.kind)) + (flip ? " open" : "") + "><summary><strong>" + n(g.count) +
         "</strong> " + std::string(kind_words(g.kind));
  if (!g.detail.empty()) out += ": " + esc(g.detail);
  for (auto& rule : g.rules) {
    out += " · ";
    if (rule.change) out += rule.change == '+' ? "now awarded " : "no longer awarded ";
    out += esc(rule.kind) + " <code>" + esc(rule.id) + "</code> <span class=cite>" + esc(rule.cite) + "</span> " + esc(rule.label);
  }
  out += "</summary>\n";
  if (!g.note.empty()) out += "<p class=muted>" + esc(g.note) + "</p>\n";
  for (auto& e : g.examples) {
    out += "<div class=example><strong>" + esc(e.id) + "</strong>";
    if (e.inputs_before_reduction)
      out += " <span class=muted>" + n(e.differences.size()) + " of " + n(e.inputs_before_reduction) +
             " differing inputs kept after reduction</span>";
    out += "<table><tr><th>input</th><th>reference</th><th>this applicant</th></tr>";
    for (auto& d : e.differences)
      out += "<tr><td><code>" + esc(d.input) + "</code></td><td>" + esc(d.reference) + "</td><td>" + esc(d.value) + "</td></tr>";
    out += "</table><div>before: " + esc(outcome_words(e.before)) + "</div><div>after: " + esc(outcome_words(e.after)) + "</div>";
    out += "<div class=record>" + esc(e.record) + "</div></div>\n";
  }
  out += "</details>\n";
}

void frame(std::string& out, const runtime::FrameBehaviour& f) {
  out += "<h3 id=\"frame-" + esc(f.frame) + "\">" + esc(f.frame) + "</h3>\n<table>";
  auto row = [&](const std::string& what, const std::string& before, const std::string& after) {
    out += "<tr><td>" + what + "</td><td class=num>" + before + "</td><td class=num>" + after + "</td></tr>";
  };
  out += "<tr><th></th><th class=num>before</th><th class=num>after</th></tr>";
  row("applicants decided", n(f.decided_both + f.became_undecidable), n(f.decided_both + f.became_decidable));
  row("eligible", n(f.eligible_before), n(f.eligible_after));
  row("total amount (yen)", runtime::grouped(f.total_before), runtime::grouped(f.total_after));
  out += "</table>\n<table>";
  auto line = [&](const std::string& what, std::size_t v) { out += "<tr><td>" + what + "</td><td class=num>" + n(v) + "</td></tr>"; };
  line("applicants", f.applicants);
  line("became ineligible", f.became_ineligible);
  line("became eligible", f.became_eligible);
  line("amount changed while eligible in both", f.amount_changed);
  line("score changed", f.score_changed);
  line("no longer decided", f.became_undecidable);
  line("now decided", f.became_decidable);
  out += "</table>\n";
  chart(out, f);
  for (auto& g : f.groups) group(out, g);
  if (!f.reference.empty()) {
    out += "<details><summary>The reference applicant (examples are told against it)</summary><table>";
    for (auto& [input, value] : f.reference) out += "<tr><td><code>" + esc(input) + "</code></td><td>" + esc(value) + "</td></tr>";
    out += "</table></details>\n";
  }
}

}  // namespace

std::string render_html(const DiffReport& r) {
  std::string out = "<!doctype html>\n<html lang=ja><head><meta charset=utf-8>\n"
                    "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'; "
                    "script-src 'unsafe-inline'\">\n<title>kijun diff: " + esc(r.before.spec) + " → " + esc(r.after.spec) +
                    "</title>\n<style>" + style + "</style></head>\n<body>\n";
  out += "<h1>What changed between two versions of the rules</h1>\n<table><tr><th>before</th><td>" + version_text(r.before) +
         "</td></tr><tr><th>after</th><td>" + version_text(r.after) + "</td></tr></table>\n";
  out += "<p><button id=expand type=button>Expand or fold every detail</button></p>\n";
  structure(out, r);
  if (r.population) {
    const auto& p = *r.population;
    out += "<h2 id=applicants>Applicants</h2>\n<p>";
    out += p.source == "file" ? "The applicants of <code>" + esc(p.file) + "</code>"
                              : n(p.applicants) + " applicants generated per frame (seed " + std::to_string(p.seed) +
                                    "), aimed at every threshold, tier edge, enum value and date both versions mention";
    out += ", each decided by both versions. Example applicants are reduced to the inputs that differ from the reference "
           "applicant (the frame's first test applicant both versions find eligible) and still show the change.</p>\n";
    for (auto& f : r.behaviour.frames) frame(out, f);
  }
  out += "<p class=muted>Made by <code>kijun diff</code>.</p>\n<script>" + std::string(script) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace kijun::cli
