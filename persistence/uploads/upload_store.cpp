#include "persistence/uploads/upload_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

namespace mundoctor::persistence {

namespace {

constexpr std::size_t name_random_bytes = 16;

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0x0f]);
  }
  return out;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Closes the descriptor on every path.
class file_descriptor {
 public:
  explicit file_descriptor(int fd) : fd_(fd) {}
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_errno("writing an upload");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void sync_directory(const std::string& dir) {
  file_descriptor fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (fd.get() < 0) throw_errno("opening the upload directory");
  if (::fsync(fd.get()) != 0) throw_errno("syncing the upload directory");
}

}  // namespace

std::string new_stored_name(std::string_view extension) {
  std::array<unsigned char, name_random_bytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    throw std::runtime_error("the random generator failed");
  return to_hex(random.data(), random.size()) + "." + std::string{extension};
}

bool is_stored_name(std::string_view name) noexcept {
  constexpr std::size_t hex_len = name_random_bytes * 2;
  if (name.size() != hex_len + 4 || name[hex_len] != '.') return false;
  for (std::size_t i = 0; i < hex_len; ++i) {
    char c = name[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  auto ext = name.substr(hex_len + 1);
  return ext == "jpg" || ext == "png" || ext == "pdf";
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return to_hex(digest.data(), len);
}

void ensure_upload_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::system_error(ec, "creating the upload directory");
  if (::chmod(dir.c_str(), S_IRWXU) != 0) throw_errno("restricting the upload directory");
}

void write_upload(const std::string& dir, const std::string& name, std::string_view bytes) {
  if (!is_stored_name(name)) throw std::invalid_argument("not a stored upload name");
  ensure_upload_dir(dir);
  auto final_path = dir + "/" + name;
  auto temp_path = dir + "/.tmp-" + new_stored_name("part");
  file_descriptor fd{
      ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (fd.get() < 0) throw_errno("creating an upload");
  try {
    write_all(fd.get(), bytes);
    if (::fsync(fd.get()) != 0) throw_errno("syncing an upload");
    if (::close(fd.release()) != 0) throw_errno("closing an upload");
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) throw_errno("renaming an upload");
  } catch (...) {
    ::unlink(temp_path.c_str());
    throw;
  }
  sync_directory(dir);
}

std::optional<std::string> read_upload(const std::string& dir, const std::string& name,
                                       std::size_t max_bytes) {
  if (!is_stored_name(name)) return std::nullopt;
  auto path = dir + "/" + name;
  file_descriptor fd{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) return std::nullopt;
  std::string out(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    auto n = ::read(fd.get(), out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<std::size_t>(n);
  }
  return out;
}

void remove_upload(const std::string& dir, const std::string& name) noexcept {
  if (!is_stored_name(name)) return;
  ::unlink((dir + "/" + name).c_str());
}

}  // namespace mundoctor::persistence
