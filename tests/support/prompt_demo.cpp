// SPDX-License-Identifier: Apache-2.0
// A small program for the pseudo-terminal tests: asks one question of each kind and prints the answers
// (the secret only as its length). Errors end it the way the syntask CLI ends: message and exit code.
#include <syntask/error.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/ui/output.hpp>

#include <iostream>
#include <string_view>

int main(int argc, char** argv)
{
  const bool no_prompt = argc > 1 && std::string_view(argv[1]) == "--no-prompt";
  auto& output = syntask::ui::Output::global();
  try {
    const auto prompter = syntask::prompt::make_prompter(no_prompt);
    const bool proceed = prompter->confirm("Continue?", true, "--yes");
    const auto name = prompter->text("Deployment name", std::string("default"), "--name");
    const std::vector<std::string> pools{"process-pool", "docker-pool", "k8s-pool"};
    const auto pool = prompter->choose("Work pool", pools, 0, "--pool");
    const auto token = prompter->secret("Access token", "--token");
    output.result(std::string("confirm=") + (proceed ? "yes" : "no"));
    output.result("name=" + name);
    output.result("pool=" + pools[pool]);
    output.result("token_length=" + std::to_string(token.size()));
    return 0;
  } catch (const syntask::Error& error) {
    output.error(error.what());
    return static_cast<int>(error.exit_code());
  }
}
