#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace mundoctor::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

void router::add(verb method, std::string pattern, handler_fn handler, route_options options) {
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern)
      throw std::logic_error("duplicate route " + std::string(to_string(method)) + " " + pattern);
  route r;
  r.method = method;
  r.segments = split_path(pattern);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.options = std::move(options);
  routes_.push_back(std::move(r));
}

namespace {

// Number of static segments: more static segments make a more specific route.
int specificity(const route& r) {
  return static_cast<int>(std::count_if(r.segments.begin(), r.segments.end(),
                                        [](const std::string& s) { return s[0] != ':'; }));
}

bool match_segments(const route& r, const std::vector<std::string>& parts,
                    std::vector<std::pair<std::string, std::string>>& params) {
  if (r.segments.size() != parts.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = r.segments[i];
    if (seg[0] == ':')
      params.emplace_back(seg.substr(1), parts[i]);
    else if (seg != parts[i])
      return false;
  }
  return true;
}

}  // namespace

route_match router::match(verb method, const std::string& path) const {
  route_match m;
  auto parts = split_path(path);
  auto wanted = method == verb::head ? verb::get : method;
  int best = -1;
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& r : routes_) {
    if (!match_segments(r, parts, params)) continue;
    if (r.method != wanted) {
      if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
        m.allowed.push_back(r.method);
      continue;
    }
    int score = specificity(r);
    if (score > best) {
      best = score;
      m.matched = &r;
      m.params = params;
    }
  }
  if (m.matched)
    m.result = route_match::outcome::found;
  else if (!m.allowed.empty())
    m.result = route_match::outcome::method_not_allowed;
  return m;
}

}  // namespace mundoctor::http
