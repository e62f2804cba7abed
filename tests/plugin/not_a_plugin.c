/* A shared library that is not a kijun plugin: no KIJUN_PLUGIN_ENTRY. */
int kijun_something_else(void) { return 42; }
