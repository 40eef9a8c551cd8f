#include "actors/identity/dev_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include "actors/identity/base64.hpp"
#include "actors/identity/jwt.hpp"

namespace mundoctor::actors::identity {

namespace {

namespace fs = std::filesystem;

using pkey_ptr = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;
using bio_ptr = std::unique_ptr<BIO, void (*)(BIO*)>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string{};
}

pkey_ptr read_private_key(const std::string& pem) {
  bio_ptr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free_all};
  pkey_ptr key{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
               EVP_PKEY_free};
  if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1)
    throw std::runtime_error("not a PEM RSA private key");
  return key;
}

std::string public_pem_of(EVP_PKEY* key) {
  bio_ptr bio{BIO_new(BIO_s_mem()), BIO_free_all};
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1)
    throw std::runtime_error("cannot write the public key");
  return bio_text(bio.get());
}

std::string read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Created with `mode` from the start, so the private key is never readable by others.
void write_file(const fs::path& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
  size_t done = 0;
  bool ok = ::fchmod(fd, mode) == 0;
  while (ok && done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + path.string());
}

std::string rs256_sign(EVP_PKEY* key, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSignUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestSignFinal(ctx.get(), nullptr, &size) != 1)
    throw std::runtime_error("RS256 signing failed");
  std::string signature(size, '\0');
  if (EVP_DigestSignFinal(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size) !=
      1)
    throw std::runtime_error("RS256 signing failed");
  signature.resize(size);
  return signature;
}

std::string bignum_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
    throw std::invalid_argument("cannot read the RSA key parameters");
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

std::string random_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  return "sess_" + base64url_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
}

}  // namespace

rsa_keypair generate_rsa_keypair(int bits) {
  pkey_ptr key{EVP_RSA_gen(static_cast<unsigned int>(bits)), EVP_PKEY_free};
  if (!key) throw std::runtime_error("RSA key generation failed");
  bio_ptr bio{BIO_new(BIO_s_mem()), BIO_free_all};
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("cannot write the private key");
  return rsa_keypair{bio_text(bio.get()), public_pem_of(key.get())};
}

rsa_keypair ensure_dev_keypair(const std::string& dir) {
  fs::path base{dir};
  auto private_path = base / "jwt-private.pem";
  auto public_path = base / "jwt-public.pem";
  if (fs::exists(private_path) && fs::exists(public_path))
    return rsa_keypair{read_file(private_path), read_file(public_path)};
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  if (::chmod(base.c_str(), 0700) != 0)
    throw std::runtime_error("cannot chmod " + dir + ": " + std::strerror(errno));
  auto pair = generate_rsa_keypair();
  write_file(private_path, pair.private_pem, 0600);
  write_file(public_path, pair.public_pem, 0644);
  return pair;
}

std::string sign_rs256_jwt(const std::string& private_pem, const nlohmann::json& header,
                           const nlohmann::json& payload) {
  auto key = read_private_key(private_pem);
  auto signed_part = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  return signed_part + "." + base64url_encode(rs256_sign(key.get(), signed_part));
}

std::string make_session_token(const std::string& private_pem, const std::string& sub,
                               const std::string& issuer, std::chrono::seconds ttl,
                               const std::string& kid) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  nlohmann::json header{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}};
  nlohmann::json payload{
      {"sub", sub},        {"iss", issuer}, {"iat", now}, {"nbf", now}, {"exp", now + ttl.count()},
      {"sid", random_id()}};
  return sign_rs256_jwt(private_pem, header, payload);
}

std::string jwks_for_public_pem(const std::string& public_pem, const std::string& kid) {
  auto key = parse_public_pem(public_pem);
  nlohmann::json jwk{{"kty", "RSA"},
                     {"use", "sig"},
                     {"alg", "RS256"},
                     {"kid", kid},
                     {"n", base64url_encode(bignum_param(key.get(), OSSL_PKEY_PARAM_RSA_N))},
                     {"e", base64url_encode(bignum_param(key.get(), OSSL_PKEY_PARAM_RSA_E))}};
  return nlohmann::json{{"keys", nlohmann::json::array({jwk})}}.dump();
}

}  // namespace mundoctor::actors::identity
