// SPDX-License-Identifier: Apache-2.0
// libcurl is loaded on the first HTTP request, not at process start. Debian's libcurl brings about 30
// shared libraries (GnuTLS through librtmp and libldap, Kerberos, SASL, nghttp2, libpsl, ...) whose loading
// was most of the start-up time of every command, and most commands never talk HTTP (bench/README.md,
// "Start-up"). This file defines the libcurl functions syntask calls: each resolves the real one from
// SYNTASK_LIBCURL_SONAME once and forwards to it. The executable does not link libcurl, so calling a libcurl
// function not defined here is an undefined reference at link time: add one line below for it.
#define CURL_DISABLE_TYPECHECK // the type-checking macros would replace the definitions below
#include <syntask/error.hpp>

#include <curl/curl.h>

#include <cstdarg>
#include <dlfcn.h>
#include <string>

namespace {

class LibraryError : public syntask::Error {
public:
  using Error::Error;
};

void* libcurl()
{
  static void* const handle = [] {
    void* opened = dlopen(SYNTASK_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (opened == nullptr) {
      const char* reason = dlerror();
      throw LibraryError(std::string("cannot load libcurl, needed for HTTP (Debian package libcurl4): ") +
                         (reason != nullptr ? reason : SYNTASK_LIBCURL_SONAME));
    }
    return opened;
  }();
  return handle;
}

template <typename Function> Function* resolve(const char* name)
{
  void* symbol = dlsym(libcurl(), name);
  if (symbol == nullptr) {
    throw LibraryError(std::string(SYNTASK_LIBCURL_SONAME " has no ") + name + ": libcurl is too old");
  }
  return reinterpret_cast<Function*>(symbol);
}

} // namespace

// The real function of the same name, resolved on the first call (thread-safe: a function-local static).
#define SYNTASK_REAL_CURL(name) static auto* const real = resolve<decltype(name)>(#name)

extern "C" {

CURLcode curl_global_init(long flags)
{
  SYNTASK_REAL_CURL(curl_global_init);
  return real(flags);
}

CURL* curl_easy_init()
{
  SYNTASK_REAL_CURL(curl_easy_init);
  return real();
}

// The third argument's type follows from the option's number range (curl.h, CURLOPTTYPE_*), as in
// libcurl's own curl_easy_setopt: it is read with that type and passed on with it.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...)
{
  SYNTASK_REAL_CURL(curl_easy_setopt);
  va_list arguments;
  va_start(arguments, option);
  CURLcode result = CURLE_OK;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    result = real(handle, option, va_arg(arguments, long));
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
    result = real(handle, option, va_arg(arguments, void*));
  } else if (option < CURLOPTTYPE_OFF_T) {
    using AnyFunction = void (*)();
    result = real(handle, option, va_arg(arguments, AnyFunction));
  } else if (option < CURLOPTTYPE_BLOB) {
    result = real(handle, option, va_arg(arguments, curl_off_t));
  } else {
    result = real(handle, option, va_arg(arguments, void*));
  }
  va_end(arguments);
  return result;
}

// Every CURLINFO_* takes a pointer to where the value is written.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...)
{
  SYNTASK_REAL_CURL(curl_easy_getinfo);
  va_list arguments;
  va_start(arguments, info);
  void* destination = va_arg(arguments, void*);
  va_end(arguments);
  return real(handle, info, destination);
}

CURLcode curl_easy_perform(CURL* handle)
{
  SYNTASK_REAL_CURL(curl_easy_perform);
  return real(handle);
}

void curl_easy_reset(CURL* handle)
{
  SYNTASK_REAL_CURL(curl_easy_reset);
  real(handle);
}

void curl_easy_cleanup(CURL* handle)
{
  SYNTASK_REAL_CURL(curl_easy_cleanup);
  real(handle);
}

const char* curl_easy_strerror(CURLcode code)
{
  SYNTASK_REAL_CURL(curl_easy_strerror);
  return real(code);
}

curl_slist* curl_slist_append(curl_slist* list, const char* line)
{
  SYNTASK_REAL_CURL(curl_slist_append);
  return real(list, line);
}

void curl_slist_free_all(curl_slist* list)
{
  SYNTASK_REAL_CURL(curl_slist_free_all);
  real(list);
}

time_t curl_getdate(const char* text, const time_t* unused)
{
  SYNTASK_REAL_CURL(curl_getdate);
  return real(text, unused);
}

} // extern "C"
