#pragma once
// Internal: both parties of a measurement in this process, over a loopback TCP channel
// pair, the server on the calling thread and the client on a second one, each timed by its
// thread's CPU clock.

#include <ctime>
#include <future>
#include <utility>

#include "snnipred/net/channel.h"

namespace snnipred::calibrate::detail {

/// CPU seconds the calling thread has used.
inline double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// CPU seconds `work` takes on the calling thread.
template <typename Work>
double cpu_seconds_of(Work&& work) {
    const double start = thread_cpu_seconds();
    work();
    return thread_cpu_seconds() - start;
}

/// CPU seconds of each party's thread over one run of both.
struct PairCpu {
    double server = 0;
    double client = 0;
    /// The mean of the two parties: a cost both pay alike (a setup, the HE keys).
    double per_party() const { return (server + client) / 2; }
    /// Each party's CPU per one of `units`.
    PairCpu per(double units) const { return {server / units, client / units}; }
};

class PartyPair {
public:
    /// Connects the two ends. Throws NetworkError.
    PartyPair();

    net::Channel& server() { return server_; }
    net::Channel& client() { return client_; }

    /// Runs server_work() here and client_work() on a second thread, both to the end.
    template <typename ServerWork, typename ClientWork>
    PairCpu run(ServerWork&& server_work, ClientWork&& client_work) {
        auto client = std::async(std::launch::async, [&] { return cpu_seconds_of(client_work); });
        double server_cpu = 0;
        try {
            server_cpu = cpu_seconds_of(server_work);
        } catch (...) {
            client.wait();
            throw;
        }
        return {server_cpu, client.get()};
    }

private:
    PartyPair(std::pair<net::Channel, net::Channel> ends);

    net::Channel server_;
    net::Channel client_;
};

}  // namespace snnipred::calibrate::detail
