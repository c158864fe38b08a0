# SPDX-License-Identifier: Apache-2.0
# Every third-party dependency, found in one place. All come from Debian packages
# (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(CLI11 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2>=1.7)
# libgit2's SSH transport: only its version matters (RSA signatures, see src/git/errors.cpp).
pkg_check_modules(LIBSSH2 QUIET libssh2)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
include(${CMAKE_CURRENT_LIST_DIR}/Linking.cmake)
if(SYNTASK_BUILD_TESTS)
  find_package(Catch2 3 REQUIRED)
endif()
