# SPDX-License-Identifier: Apache-2.0
# ccache (-DCMAKE_CXX_COMPILER_LAUNCHER=ccache) refuses every compile that uses a precompiled header, as
# syntask_core and syntask_unit do, unless it may ignore the header's macros and __TIME__ (ccache manual,
# "Precompiled headers"; CMake's `-include` of the header is the other half). Without this every compile
# is counted "could not use precompiled header" and nothing is cached.
if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
  set(syntask_ccache_sloppiness "pch_defines,time_macros")
  if(DEFINED ENV{CCACHE_SLOPPINESS} AND NOT "$ENV{CCACHE_SLOPPINESS}" STREQUAL "")
    string(PREPEND syntask_ccache_sloppiness "$ENV{CCACHE_SLOPPINESS},")
  endif()
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=${syntask_ccache_sloppiness}
                                  ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()
