// SPDX-License-Identifier: Apache-2.0
// A scanner of Python source that finds module-level functions and their flow decorators without
// running Python.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::flows {

/// A function defined at module level (a `def` or `async def` in column 0).
struct ModuleFunction {
  std::string name;
  int line = 0;                         ///< 1-based line of the `def`
  bool is_flow = false;                 ///< one of its decorators is a flow decorator
  std::optional<std::string> flow_name; ///< the flow decorator's `name=` when it is a string literal
};

/// The module-level functions of `source`, in source order. Flow decorators are `@flow`, `@syntask.flow`,
/// `@prefect.flow`, each optionally called (`@flow(...)`), plus aliases bound by `from syntask import flow
/// as X`, `from prefect import flow as X` (also from `syntask.flows` / `prefect.flows`) and `import syntask
/// as X` / `import prefect as X`. Strings, comments, bracketed continuation lines and backslash
/// continuations are understood, so text inside a docstring never counts.
std::vector<ModuleFunction> scan_module_functions(std::string_view source);

} // namespace syntask::flows
