// SPDX-License-Identifier: Apache-2.0
#include <syntask/cli/app.hpp>

int main(int argc, char** argv)
{
  return syntask::cli::run(argc, argv);
}
