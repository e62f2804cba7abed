# One place for the warning policy of every kijun target.
function(kijun_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wimplicit-fallthrough)
  if(KIJUN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
