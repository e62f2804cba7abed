#!/bin/bash
# The installed package as a user meets it: `cmake --install` into a fresh prefix, then
# examples/embed configured against that prefix alone (find_package(kijun 0.2)), built and
# run — a C program on kijun::runtime loading a plugin, a C++ program on kijun::kijun
# compiling sources — and the C program built again with pkg-config. The plugin-only
# program must not need LLVM, and with the runtime library, stripped, stays under 5 MB.
#
#   package_test.sh BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER [SANITIZER_FLAGS] [PYTHON]
set -euo pipefail
build=$1 src=$2 work=$3 cc=$4 sanitize=${5:-} python=${6:-}
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "-- $*"; }

step "install into a fresh prefix"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" || fail "cmake --install (see $work/install.log)"
prefix=$work/prefix
libdir=$(dirname "$(find "$prefix" -name 'libkijun_runtime.so' | head -1)")
[ -n "$libdir" ] || fail "no libkijun_runtime.so installed"

step "examples/embed against the installed package"
cmake -S "$src/examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$sanitize" -DCMAKE_CXX_FLAGS="$sanitize" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitize" > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/embed" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }

step "a plugin, built by the installed kijun"
"$prefix/bin/kijun" build "$src/rulesets/it-hojo/2026" -o "$work/it-hojo-2026.kjp" || fail "kijun build"

expect() {  # expect FILE TEXT: the program's output holds TEXT
  grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 lacks: $2"; }
}
step "C on the runtime library: loads the plugin"
"$work/embed/embed_c" "$work/it-hojo-2026.kjp" > "$work/c.out" || { cat "$work/c.out"; fail "embed_c"; }
expect "$work/c.out" "it-hojo 2026"
expect "$work/c.out" "batch of 64: 31 eligible, 9600000 yen in all"
step "C on the runtime library: a source directory needs the full library"
if "$work/embed/embed_c" "$src/rulesets/it-hojo/2026" > "$work/c-source.out" 2>&1; then fail "the runtime library compiled sources"; fi
expect "$work/c-source.out" "this is the kijun runtime library, which runs plugins only"
step "C++ on the full library: compiles the sources"
"$work/embed/embed_cpp" "$src/rulesets/it-hojo/2026" > "$work/cpp.out" || { cat "$work/cpp.out"; fail "embed_cpp"; }
expect "$work/cpp.out" "it-hojo 2026"

step "no LLVM and no front end in a plugin-only program"
ldd "$work/embed/embed_c" > "$work/ldd.out"
if grep -i -E "llvm|libkijun\.so" "$work/ldd.out"; then fail "embed_c needs the compiler"; fi
expect "$work/ldd.out" "libkijun_runtime.so.0.2"

step "the libraries never write to the standard streams nor end the process"
for lib in libkijun_runtime.so libkijun.so; do
  if nm -D --undefined-only "$libdir/$lib" | awk '{print $2}' |
     grep -E '^(stderr|stdout|exit|abort|fprintf|printf|puts|fputs|perror|std::cerr)(@|$)'; then
    fail "$lib imports a way to write to the terminal or to end the process"
  fi
done

if [ -z "$sanitize" ]; then
  step "size: program and runtime library, stripped"
  strip -o "$work/embed_c.stripped" "$work/embed/embed_c"
  strip -o "$work/runtime.stripped" "$libdir/libkijun_runtime.so"
  bytes=$(( $(stat -c %s "$work/embed_c.stripped") + $(stat -c %s "$work/runtime.stripped") ))
  echo "   $bytes bytes"
  [ "$bytes" -lt $((5 * 1024 * 1024)) ] || fail "$bytes bytes: over 5 MB"
fi

step "pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs kijun-runtime) || fail "pkg-config kijun-runtime"
# shellcheck disable=SC2086
"$cc" $sanitize -std=c11 "$src/examples/embed/embed.c" $flags -Wl,-rpath,"$libdir" -o "$work/embed_c_pc" || fail "cc with pkg-config"
"$work/embed_c_pc" "$work/it-hojo-2026.kjp" > "$work/c-pc.out" || fail "embed_c built with pkg-config"
expect "$work/c-pc.out" "batch of 64: 31 eligible"
pkg-config --exists 'kijun >= 0.2' || fail "pkg-config kijun >= 0.2"

if [ -n "$python" ] && [ -z "$sanitize" ]; then
  step "Python, from the prefix alone"
  PYTHONPATH="$libdir/python3/dist-packages" KIJUN_LIBRARY= "$python" -c "
import kijun, sys
rules = kijun.Ruleset.load(sys.argv[1], runtime_only=True)
assert (rules.programme, rules.fiscal_year) == ('it-hojo', 2026), rules.programme
assert kijun.can_compile()  # libkijun is installed too, and preferred
print('   python:', rules.programme, rules.fiscal_year, len(rules.frames), 'frames')
" "$work/it-hojo-2026.kjp" || fail "python from the installed prefix"
fi
echo "package test passed"
