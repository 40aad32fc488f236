// fd_write: writing a whole buffer to a file descriptor (the archive's files).
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace mimamori::archive {

// Writes all `size` bytes, retrying after EINTR and short writes; false on
// an error (errno says which).
inline bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace mimamori::archive
