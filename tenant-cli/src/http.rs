//! A small HTTP/1.0 client over `std::net::TcpStream`, enough to ask a
//! Prometheus or Alertmanager on the same host or network to reload: plain
//! `http://` only (no TLS; an `https://` URL is refused), timeouts on
//! connect, read and write, and responses read up to a bound.
//!
//! Requests are HTTP/1.0 with `Connection: close`, so the server answers
//! without chunked encoding and the body ends where the connection does.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Longest time for connecting, and for each read or write.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Largest response read (Prometheus' `/metrics` is some hundred KiB).
const MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// A parsed `http://host:port/prefix` URL.
#[derive(Debug, Clone)]
pub(crate) struct Url {
    host: String,
    port: u16,
    /// The path prefix without a final `/` (`""` for the root).
    prefix: String,
    text: String,
}

impl Url {
    /// Parses `text`; only `http://` is accepted.
    pub(crate) fn parse(text: &str) -> Result<Url, String> {
        let shown = tenant_model::escape_controls(text);
        if text.starts_with("https://") {
            return Err(format!(
                "`{shown}`: https is not supported; give the server's plain http URL (a loopback or private address)"
            ));
        }
        let rest = text
            .strip_prefix("http://")
            .ok_or_else(|| format!("`{shown}` is not an http:// URL"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("`{shown}` has no host (or has credentials)"));
        }
        let invalid_port = || format!("`{shown}` has an invalid port");
        let (host, port_text) = if let Some(rest) = authority.strip_prefix('[') {
            // [IPv6]:port
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("`{shown}` has an unclosed `[`"))?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(after.strip_prefix(':').ok_or_else(invalid_port)?),
                ),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port_text {
            Some(text) => text.parse::<u16>().map_err(|_| invalid_port())?,
            None => 80,
        };
        if host.is_empty() || path.contains(['?', '#']) || text.chars().any(char::is_control) {
            return Err(format!(
                "`{shown}` is not a plain http://HOST[:PORT][/PATH] URL"
            ));
        }
        Ok(Url {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            prefix: path.trim_end_matches('/').to_owned(),
            text: text.to_owned(),
        })
    }

    /// The URL as given.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

/// A response: status code and body (lossy UTF-8).
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Sends `method path` (a POST with an empty body) and reads the response.
pub(crate) fn request(url: &Url, method: &str, path: &str) -> Result<Response, String> {
    let addrs = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{}`: {e}", url.host))?;
    let mut last = String::from("no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, TIMEOUT) {
            Ok(stream) => return exchange(stream, url, method, path),
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!("cannot connect to {}: {last}", url.as_str()))
}

fn exchange(
    mut stream: TcpStream,
    url: &Url,
    method: &str,
    path: &str,
) -> Result<Response, String> {
    let target = format!("{}{path}", url.prefix);
    let where_ = format!("{method} {}{path}", url.as_str().trim_end_matches('/'));
    let failed = |e: std::io::Error| format!("{where_}: {e}");
    stream.set_read_timeout(Some(TIMEOUT)).map_err(failed)?;
    stream.set_write_timeout(Some(TIMEOUT)).map_err(failed)?;
    let host = if url.host.contains(':') {
        format!("[{}]:{}", url.host, url.port)
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let length = if method == "POST" {
        "Content-Length: 0\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "{method} {target} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: tenantctl\r\nAccept: */*\r\nConnection: close\r\n{length}\r\n"
    )
    .and_then(|()| stream.flush())
    .map_err(failed)?;
    let mut bytes = Vec::new();
    (&mut stream)
        .take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_RESPONSE_BYTES {
        return Err(format!(
            "{where_}: the response is larger than {MAX_RESPONSE_BYTES} bytes"
        ));
    }
    parse(&bytes).ok_or_else(|| format!("{where_}: not an HTTP response"))
}

/// Parses a whole HTTP/1.x response (status line, headers, body).
fn parse(bytes: &[u8]) -> Option<Response> {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(bytes.get(..split)?).ok()?;
    let body = bytes.get(split + 4..)?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let chunked = lines.any(|l| {
        l.split_once(':').is_some_and(|(name, value)| {
            name.eq_ignore_ascii_case("transfer-encoding")
                && value.trim().eq_ignore_ascii_case("chunked")
        })
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Some(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Decodes a chunked body (a server may chunk even an HTTP/1.0 answer).
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(body.get(..line_end)?).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = body.get(line_end + 2..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn urls_are_plain_http() {
        let url = Url::parse("http://127.0.0.1:9093/am/").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.prefix.as_str()),
            ("127.0.0.1", 9093, "/am")
        );
        let url = Url::parse("http://[::1]:9090").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 9090));
        assert!(
            Url::parse("https://prom:9090")
                .unwrap_err()
                .contains("https is not supported")
        );
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://user:pw@x:1").is_err());
        assert!(Url::parse("http://x:99999").is_err());
    }

    #[test]
    fn responses_parse_plain_and_chunked() {
        let r = parse(b"HTTP/1.0 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nfailed to reload config").unwrap();
        assert_eq!(
            (r.status, r.body.as_str()),
            (500, "failed to reload config")
        );
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!((r.status, r.body.as_str()), (200, "abcde"));
        assert!(parse(b"garbage").is_none());
    }
}
