/* A plugin from a future kijun: right entry point, another ABI version. The runtime must
   refuse it before reading anything else. */
#include "kijun/plugin.h"

static const kijun_plugin descriptor = {999u, 0u, 0, 0, 0, 0, "sha256:0", "it-hojo", 2026, "x86_64 generic", 0, 0u};

const kijun_plugin* kijun_plugin_descriptor(void) { return &descriptor; }
