// Logging hook of the kijun library. The library never writes to stderr itself: it hands
// messages about what it does (stage timings, cache use) to the caller's callback.
#pragma once

#include <functional>
#include <string_view>

namespace kijun {

enum class LogLevel { trace, debug, info, warn, error };

using LogFn = std::function<void(LogLevel, std::string_view)>;

}  // namespace kijun
