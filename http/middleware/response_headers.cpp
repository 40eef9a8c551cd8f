#include "http/middleware/response_headers.hpp"

#include <zlib.h>

#include <string>

namespace mundoctor::http {

void apply_security_headers(response& res, bool hsts) {
  res.headers.set("x-content-type-options", "nosniff");
  res.headers.set("x-frame-options", "DENY");
  res.headers.set("referrer-policy", "no-referrer");
  if (!res.headers.has("content-security-policy"))
    res.headers.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
  if (hsts) res.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
}

bool accepts_gzip(std::string_view value) {
  std::size_t pos = 0;
  while (pos < value.size()) {
    auto comma = value.find(',', pos);
    auto item = value.substr(pos, comma == std::string_view::npos ? value.npos : comma - pos);
    pos = comma == std::string_view::npos ? value.size() : comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto semi = item.find(';');
    auto name = item.substr(0, semi);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != "gzip" && name != "*") continue;
    if (semi == std::string_view::npos) return true;
    auto params = item.substr(semi + 1);
    auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    return std::stod(std::string(params.substr(q + 2))) > 0.0;
  }
  return false;
}

namespace {

bool gzip_compress(const std::string& in, std::string& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return false;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END;
}

}  // namespace

bool maybe_gzip(const request& req, response& res, std::size_t min_bytes) {
  if (res.body.size() < min_bytes || res.headers.has("content-encoding")) return false;
  auto type = res.headers.get("content-type");
  if (!type || (type->find("json") == type->npos && type->find("text/") == type->npos))
    return false;
  auto accept = req.headers.get("accept-encoding");
  if (!accept) return false;
  try {
    if (!accepts_gzip(*accept)) return false;
  } catch (const std::exception&) {
    return false;  // a malformed q value: serve identity
  }
  std::string packed;
  if (!gzip_compress(res.body, packed)) return false;
  res.body = std::move(packed);
  res.headers.set("content-encoding", "gzip");
  res.headers.add("vary", "Accept-Encoding");
  return true;
}

}  // namespace mundoctor::http
