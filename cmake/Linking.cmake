# SPDX-License-Identifier: Apache-2.0
# How the executables link their dependencies, chosen for start-up time. Linked the plain way, every
# command loaded 55 shared libraries before main(): libcurl and about 30 libraries it depends on
# (GnuTLS, Kerberos, LDAP, SASL, ...), libarchive with libxml2 and ICU (for archive formats syntask never
# writes), libgit2 with mbedTLS. Figures and method: bench/README.md, "Start-up".
# - libcurl is not linked: src/http/curl_library.cpp loads it on the first HTTP request.
# - libgit2, libarchive, SQLite, libsodium and yaml-cpp are linked from the static archives their Debian
#   -dev packages ship, and libgit2's own dependencies (mbedTLS, http-parser, PCRE2, libssh2) likewise.
#   --gc-sections drops the parts of libarchive syntask never calls: its format table names every writer,
#   and the xar and 7-Zip writers are what need libxml2, liblzma and libbz2, which are then not linked.
# - libcrypto (OpenSSL), zlib, GSSAPI (libgit2's Negotiate authentication), spdlog, fmt and the C and C++
#   runtimes stay shared: they are small, or needed by libcurl too, or Debian ships no static archive.
# A static archive is copied into the binary: a Debian update of one of those libraries takes a rebuild.
# The overrides keep the targets' names, so every executable (syntask and the tests) links alike.

function(syntask_find_static_archive variable name)
  find_library(${variable} NAMES lib${name}.a)
  if(NOT ${variable})
    message(FATAL_ERROR "lib${name}.a not found: install its Debian -dev package (scripts/install-deps.sh)")
  endif()
endfunction()

find_package(ZLIB REQUIRED)
syntask_find_static_archive(SYNTASK_LIBGIT2_ARCHIVE git2)
syntask_find_static_archive(SYNTASK_MBEDTLS_ARCHIVE mbedtls)
syntask_find_static_archive(SYNTASK_MBEDX509_ARCHIVE mbedx509)
syntask_find_static_archive(SYNTASK_MBEDCRYPTO_ARCHIVE mbedcrypto)
syntask_find_static_archive(SYNTASK_HTTP_PARSER_ARCHIVE http_parser)
syntask_find_static_archive(SYNTASK_PCRE2_ARCHIVE pcre2-8)
syntask_find_static_archive(SYNTASK_LIBSSH2_ARCHIVE ssh2)
syntask_find_static_archive(SYNTASK_LIBARCHIVE_ARCHIVE archive)
syntask_find_static_archive(SYNTASK_SQLITE3_ARCHIVE sqlite3)
syntask_find_static_archive(SYNTASK_SODIUM_ARCHIVE sodium)
syntask_find_static_archive(SYNTASK_YAML_CPP_ARCHIVE yaml-cpp)
# Debian's libgit2.pc leaves GSSAPI out of Libs.private; the library is installed with libcurl4, its
# unversioned -dev link only with libkrb5-dev, hence the soname as a second choice.
find_library(SYNTASK_GSSAPI_LIBRARY NAMES gssapi_krb5 libgssapi_krb5.so.2 REQUIRED)

set_property(TARGET PkgConfig::LIBGIT2 PROPERTY INTERFACE_LINK_LIBRARIES
  ${SYNTASK_LIBGIT2_ARCHIVE} ${SYNTASK_MBEDTLS_ARCHIVE} ${SYNTASK_MBEDX509_ARCHIVE} ${SYNTASK_MBEDCRYPTO_ARCHIVE}
  ${SYNTASK_HTTP_PARSER_ARCHIVE} ${SYNTASK_PCRE2_ARCHIVE} ${SYNTASK_LIBSSH2_ARCHIVE} OpenSSL::Crypto ZLIB::ZLIB
  ${SYNTASK_GSSAPI_LIBRARY} Threads::Threads)
set_property(TARGET PkgConfig::LIBARCHIVE PROPERTY INTERFACE_LINK_LIBRARIES ${SYNTASK_LIBARCHIVE_ARCHIVE} ZLIB::ZLIB)
set_property(TARGET PkgConfig::LIBARCHIVE PROPERTY INTERFACE_LINK_OPTIONS -Wl,--gc-sections)
set_property(TARGET PkgConfig::SODIUM PROPERTY INTERFACE_LINK_LIBRARIES ${SYNTASK_SODIUM_ARCHIVE} Threads::Threads)
set_property(TARGET SQLite::SQLite3 PROPERTY IMPORTED_LOCATION ${SYNTASK_SQLITE3_ARCHIVE})
set_property(TARGET SQLite::SQLite3 PROPERTY INTERFACE_LINK_LIBRARIES m ${CMAKE_DL_LIBS} Threads::Threads)

# yaml-cpp's own target is a shared library: this one has its headers and the static archive.
add_library(syntask_yaml_cpp INTERFACE)
target_include_directories(syntask_yaml_cpp SYSTEM INTERFACE $<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(syntask_yaml_cpp INTERFACE ${SYNTASK_YAML_CPP_ARCHIVE})

# libcurl's headers, and the soname curl_library.cpp loads (libcurl.so.4), read from the library found.
list(GET CURL_LIBRARIES 0 syntask_libcurl_file)
execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${syntask_libcurl_file} OUTPUT_VARIABLE syntask_libcurl_headers
                RESULT_VARIABLE syntask_objdump_status)
if(NOT syntask_objdump_status EQUAL 0 OR NOT syntask_libcurl_headers MATCHES "SONAME +([^\n ]+)")
  message(FATAL_ERROR "cannot read the soname of ${syntask_libcurl_file} with objdump")
endif()
set(SYNTASK_LIBCURL_SONAME ${CMAKE_MATCH_1})
add_library(syntask_libcurl_api INTERFACE)
target_include_directories(syntask_libcurl_api INTERFACE ${CURL_INCLUDE_DIRS})
target_link_libraries(syntask_libcurl_api INTERFACE ${CMAKE_DL_LIBS})
