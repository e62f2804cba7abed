# kijun_stage(NAME DIRS dir... SOURCES file... [DEPENDS stage...] [LINK lib...])
#
# One stage of the pipeline as a static library. A header is included by its path in the
# repository ("compiler/ir/ir.hpp"), but no target sees the repository root: each stage
# publishes an include root of its own under the build tree, holding links to exactly the
# headers of its directories (not their subdirectories). A target therefore sees the
# headers of the stages it depends on and no others, and an include against the flow
# (the IR including the back end, the runtime including the front end) fails to build.
# Sources are given relative to the first of DIRS.
# kijun_include_root(NAME dir...): makes the include root of NAME (links to the headers of
# each dir) and adds it to target NAME's public include directories.
function(kijun_include_root name)
  set(root ${PROJECT_BINARY_DIR}/stages/${name})
  file(REMOVE_RECURSE ${root})
  foreach(dir IN LISTS ARGN)
    file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.hpp ${PROJECT_SOURCE_DIR}/${dir}/*.def)
    file(MAKE_DIRECTORY ${root}/${dir})
    foreach(header IN LISTS headers)
      get_filename_component(file ${header} NAME)
      file(CREATE_LINK ${header} ${root}/${dir}/${file} SYMBOLIC)
    endforeach()
  endforeach()
  get_target_property(type ${name} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${name} PRIVATE ${root} ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
  else()
    target_include_directories(${name} PUBLIC ${root} ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
  endif()
endfunction()

function(kijun_stage name)
  cmake_parse_arguments(S "" "" "DIRS;SOURCES;DEPENDS;LINK" ${ARGN})
  list(GET S_DIRS 0 home)
  list(TRANSFORM S_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/${home}/)
  add_library(${name} STATIC ${S_SOURCES})
  # Position-independent, for the shared libraries built from the stages; hidden, so that
  # those export the public API (marked in include/kijun) and nothing else.
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  kijun_include_root(${name} ${S_DIRS})
  target_link_libraries(${name} PUBLIC ${S_DEPENDS} PRIVATE ${S_LINK})
  kijun_warnings(${name})
endfunction()
