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
