// A parameterised test suite whose cases share one talon-server (open mode, see
// ServerProcess): started before the first case, stopped after the last. For tables of bad
// requests, where a server per case would only cost time.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "server_process.h"

namespace talon::test {

template <class Param>
class SharedServerTest : public ::testing::TestWithParam<Param> {
public:
    static void SetUpTestSuite() { s_server = std::make_unique<ServerProcess>(); }
    static void TearDownTestSuite() { s_server.reset(); }

protected:
    static ServerProcess& server() { return *s_server; }

private:
    inline static std::unique_ptr<ServerProcess> s_server;
};

}  // namespace talon::test
