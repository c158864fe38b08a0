# SPDX-License-Identifier: Apache-2.0
# syntask_settings: language level, warnings and sanitizers for first-party targets only.
add_library(syntask_settings INTERFACE)
target_compile_features(syntask_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(syntask_settings INTERFACE -Wall -Wextra -Werror)
if(SYNTASK_SANITIZE)
  target_compile_options(syntask_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(syntask_settings INTERFACE -fsanitize=address,undefined)
endif()
# GCC 12's flow-sensitive warnings misfire on inlined standard library code when optimising (std::string
# and std::vector internals reported as overflows, overlaps or uninitialised reads): in optimised builds
# they stay warnings instead of stopping the build. Unoptimised and sanitizer builds keep them as errors.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(
    syntask_settings
    INTERFACE $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-Wno-error=stringop-overflow
              -Wno-error=stringop-overread -Wno-error=format-truncation -Wno-error=maybe-uninitialized
              -Wno-error=array-bounds -Wno-error=restrict -Wno-error=dangling-pointer>)
endif()
