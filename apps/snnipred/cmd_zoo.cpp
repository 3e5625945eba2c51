#include <fmt/core.h>

#include "commands.h"
#include "snnipred/model/features.h"
#include "snnipred/model/zoo.h"

namespace snnipred::cli {

void register_zoo(CLI::App& app) {
    CLI::App* command = app.add_subcommand("zoo", "List the built-in model zoo (use as zoo:NAME)");
    command->callback([] {
        fmt::print("{:<14} {:>12} {:>16} {:>12}  {}\n", "name", "params", "MACs", "ReLUs", "description");
        for (const ZooEntry& entry : zoo_entries()) {
            const NetworkTotals totals = network_totals(zoo_network(entry.name));
            fmt::print("{:<14} {:>12} {:>16} {:>12}  {}\n", entry.name, totals.params, totals.macs, totals.relus,
                       entry.description);
        }
    });
}

}  // namespace snnipred::cli
