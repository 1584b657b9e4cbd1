// TalonServer: wires config, database, event hub and HTTP API into one runnable server.
#pragma once

#include <memory>

#include "talon/common/result.h"
#include "talon/server/config.h"

namespace talon::server {

class TalonServer {
public:
    /// Opens the database and loads catalogs. Errors: database, assets.
    static Result<std::unique_ptr<TalonServer>> create(const ServerConfig& config);
    ~TalonServer();

    /// Binds the configured host:port (port 0: any free port). Returns the bound port.
    Result<int> bind();
    /// Serves until stop(); returns false if the server could not run.
    bool listen();
    /// Thread-safe; ends open event streams and makes listen() return.
    void stop();

private:
    struct Impl;
    explicit TalonServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace talon::server
