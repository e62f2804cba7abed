# What `cmake --install` puts in a prefix: the public headers, both libraries, the kijun
# program, a CMake package (find_package(kijun 0.2) → kijun::runtime, kijun::kijun) and
# pkg-config files (kijun-runtime, kijun).
include(CMakePackageConfigHelpers)

install(TARGETS kijun_runtime_shared kijun_shared EXPORT kijunTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kijun RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES include/kijun/kijun.h include/kijun/kijun.hpp include/kijun/batch.h include/kijun/arrow.h include/kijun/plugin.h
  include/kijun/extension.h include/kijun/log.hpp ${PROJECT_BINARY_DIR}/include/kijun/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kijun)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/kijun)
install(EXPORT kijunTargets NAMESPACE kijun:: DESTINATION ${config_dir})
configure_package_config_file(cmake/kijunConfig.cmake.in ${PROJECT_BINARY_DIR}/kijunConfig.cmake
  INSTALL_DESTINATION ${config_dir})
# 0.x: a minor version may change the ABI, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kijunConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kijunConfig.cmake ${PROJECT_BINARY_DIR}/kijunConfigVersion.cmake
  DESTINATION ${config_dir})

# The .pc files find their prefix from where they are, so a prefix given at install time
# (cmake --install --prefix) is the one they name.
file(RELATIVE_PATH KIJUN_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
foreach(pc kijun-runtime kijun)
  configure_file(cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

# The Python package, where the libraries are: it finds them by walking up from itself.
install(DIRECTORY python/kijun DESTINATION ${CMAKE_INSTALL_LIBDIR}/python3/dist-packages
  FILES_MATCHING PATTERN "*.py")
