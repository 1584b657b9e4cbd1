// The one shape of a refused field: a 400 bad_request whose `detail` parameter is a catalog key
// ("detail.*"), so HttpApi words the whole sentence in the visitor's language. Shared by the
// stores, the readings export and the HTTP layer.
#pragma once

#include <string>

#include "talon/common/result.h"

namespace talon::server {

inline Error badField(const std::string& detailKey) {
    Error e = makeError(ErrorKind::Invalid, "bad_request", detailKey);
    e.params = {{"detail", detailKey}};
    return e;
}

}  // namespace talon::server
