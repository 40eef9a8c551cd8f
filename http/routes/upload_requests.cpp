#include "http/routes/upload_requests.hpp"

#include <algorithm>

#include "config/utf8.hpp"
#include "http/multipart.hpp"
#include "http/routes/catalogue_requests.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;

constexpr std::size_t max_name_code_points = 255;

std::string allowed_text(const std::vector<file_type>& allowed) {
  std::string out;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) out += i + 1 == allowed.size() ? " or " : ", ";
    auto ext = extension_of(allowed[i]);
    out += ext == "jpg" ? "JPEG" : ext == "png" ? "PNG" : "PDF";
  }
  return out;
}

upload_check failure(errc code, std::string message, std::string machine_code,
                     json metadata = nullptr) {
  upload_check out;
  out.code = code;
  out.message = std::move(message);
  out.machine_code = std::move(machine_code);
  out.metadata = std::move(metadata);
  return out;
}

std::string limit_text(std::size_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

}  // namespace

const upload_spec& documents_spec() {
  static const upload_spec spec{{{"dniImage", "dni"},
                                 {"universityDegree", "degree"},
                                 {"collegiationCertificate", "certification"}},
                                {file_type::jpeg, file_type::png, file_type::pdf},
                                document_file_limit};
  return spec;
}

const upload_spec& avatar_spec() {
  static const upload_spec spec{
      {{"avatar", "avatar"}}, {file_type::jpeg, file_type::png}, avatar_file_limit};
  return spec;
}

upload_check check_upload(const request& req, const upload_spec& spec) {
  auto type = req.headers.get("content-type");
  if (!type || !is_multipart_form_data(*type))
    return failure(errc::unsupported_media_type, "Content-Type must be multipart/form-data",
                   "UNSUPPORTED_MEDIA_TYPE");
  auto boundary = multipart_boundary(*type);
  if (!boundary)
    return failure(errc::bad_request, "The multipart boundary is missing or invalid",
                   "INVALID_MULTIPART");
  auto parsed = parse_multipart(req.body, *boundary);
  if (!parsed.ok()) return failure(errc::bad_request, parsed.error, "INVALID_MULTIPART");
  upload_check out;
  auto errors = json::array();
  std::optional<upload_check> unsupported;
  for (const auto& part : parsed.parts) {
    // Browsers send an unselected file input as an empty part with an empty file name.
    if (part.filename && part.filename->empty() && part.body.empty()) continue;
    auto field = std::find_if(spec.fields.begin(), spec.fields.end(),
                              [&](const auto& f) { return f.first == part.name; });
    if (field == spec.fields.end()) {
      if (part.filename)
        errors.push_back(validation_entry(part.name, "This endpoint accepts no such file field",
                                          "UNKNOWN_FIELD"));
      continue;  // ordinary text fields are ignored
    }
    if (part.body.size() > spec.file_limit)
      return failure(errc::payload_too_large,
                     part.name + " is larger than " + limit_text(spec.file_limit),
                     "PAYLOAD_TOO_LARGE", {{"field", part.name}, {"limitBytes", spec.file_limit}});
    if (std::any_of(out.files.begin(), out.files.end(),
                    [&](const auto& f) { return f.field == part.name; })) {
      errors.push_back(validation_entry(part.name, "Send each file once", "DUPLICATE_FIELD"));
      continue;
    }
    if (part.body.empty()) {
      errors.push_back(validation_entry(part.name, "The file is empty", "EMPTY_FILE"));
      continue;
    }
    auto sniffed = sniff_file_type(part.body);
    if (std::find(spec.allowed.begin(), spec.allowed.end(), sniffed) == spec.allowed.end()) {
      if (!unsupported)
        unsupported = failure(errc::unsupported_media_type,
                              part.name + " must be a " + allowed_text(spec.allowed) + " file",
                              "UNSUPPORTED_MEDIA_TYPE", {{"field", part.name}});
      continue;
    }
    out.files.push_back({part.name, field->second,
                         display_name(part.filename, part.name, extension_of(sniffed)), sniffed,
                         part.body});
  }
  if (unsupported) return std::move(*unsupported);
  if (out.files.empty() && errors.empty())
    for (const auto& f : spec.fields)
      errors.push_back(validation_entry(f.first, "A file is required", "REQUIRED"));
  if (!errors.empty()) {
    auto bad = failure(errc::invalid_argument, "The upload is not valid", "VALIDATION_ERROR");
    bad.metadata = json{{"validationErrors", std::move(errors)}};
    return bad;
  }
  return out;
}

std::string display_name(const std::optional<std::string>& client_name, const std::string& fallback,
                         std::string_view extension) {
  std::string_view in = client_name ? std::string_view{*client_name} : std::string_view{};
  auto slash = in.find_last_of("/\\");
  if (slash != std::string_view::npos) in.remove_prefix(slash + 1);
  std::string out;
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < in.size() && code_points < max_name_code_points;) {
    auto n = config::utf8_sequence_length(in, i);
    if (n == 0) {
      out.push_back('_');
      ++i;
      ++code_points;
      continue;
    }
    auto c = static_cast<unsigned char>(in[i]);
    bool control = n == 1 && (c < 0x20 || c == 0x7f);
    if (!control) {
      out.append(in.substr(i, n));
      ++code_points;
    }
    i += n;
  }
  auto first = out.find_first_not_of(' ');
  out = first == std::string::npos ? std::string{}
                                   : out.substr(first, out.find_last_not_of(' ') - first + 1);
  if (out.empty() || out == "." || out == "..") return fallback + "." + std::string{extension};
  return out;
}

std::string content_disposition(const std::string& name, bool inline_disposition) {
  std::string ascii;
  std::string encoded;
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 c == '.' || c == '-' || c == '_';
    ascii.push_back(plain || c == ' ' ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(hex[c >> 4]);
      encoded.push_back(hex[c & 0x0f]);
    }
  }
  return std::string{inline_disposition ? "inline" : "attachment"} + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

}  // namespace mundoctor::http
