//! A hand-written HTTP/1.1 server on 127.0.0.1 for the download tests: unlike a real server library it
//! can lie about Content-Length, cut the connection mid-body or stall, which is exactly what we test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// A request as the server received it. Header names are lowercased.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// How the body is sent.
#[derive(Debug, Clone)]
pub enum Body {
    /// With a correct Content-Length.
    Full(Vec<u8>),
    /// No Content-Length: the end of the body is the end of the connection.
    UntilClose(Vec<u8>),
    /// `Transfer-Encoding: chunked`, in chunks of at most 100 bytes.
    Chunked(Vec<u8>),
    /// Announces `announced` bytes (or nothing), sends `sent`, then closes the connection.
    Cut { announced: Option<usize>, sent: Vec<u8> },
    /// Chunked, sends `sent` as chunks, then closes without the final empty chunk.
    ChunkedCut(Vec<u8>),
    /// Announces `announced` bytes (or nothing), sends `sent`, then keeps the connection open silently.
    Stall { announced: Option<usize>, sent: Vec<u8> },
    /// Sends `bytes` one byte at a time, `every` apart.
    Trickle { bytes: Vec<u8>, every: Duration },
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Never send anything: the client must time out waiting for the headers.
    pub silent: bool,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Reply::with_body(200, Body::Full(body.into()))
    }

    pub fn with_body(status: u16, body: Body) -> Self {
        Reply { status, headers: Vec::new(), body, silent: false }
    }

    pub fn status(status: u16) -> Self {
        Reply::with_body(status, Body::Full(Vec::new()))
    }

    pub fn redirect(status: u16, location: &str) -> Self {
        Reply::status(status).header("Location", location)
    }

    pub fn silent() -> Self {
        Reply { silent: true, ..Reply::status(200) }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    accept: JoinHandle<()>,
}

impl Server {
    /// Serves every request with `handler`, one request per connection.
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = requests.clone();
        let accept = tokio::spawn(async move {
            // Owned here so that aborting the accept loop also aborts stalled connections.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, log) = (handler.clone(), log.clone());
                connections.spawn(async move {
                    let _ = serve(stream, &*handler, &log).await;
                });
            }
        });
        Server { base, requests, accept }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(mut stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) -> std::io::Result<()> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 1024];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&raw);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let request = Request { method, path, headers };
    log.lock().unwrap().push(request.clone());
    let reply = handler(&request);

    if reply.silent {
        return stall().await;
    }
    let mut head = format!("HTTP/1.1 {} Test\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = match &reply.body {
        Body::Full(b) => Some(b.len()),
        Body::Cut { announced, .. } | Body::Stall { announced, .. } => *announced,
        Body::UntilClose(_) | Body::Chunked(_) | Body::ChunkedCut(_) | Body::Trickle { .. } => None,
    };
    if let Some(length) = length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if matches!(reply.body, Body::Chunked(_) | Body::ChunkedCut(_)) {
        head.push_str("Transfer-Encoding: chunked\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;

    match reply.body {
        Body::Full(b) | Body::UntilClose(b) | Body::Cut { sent: b, .. } => stream.write_all(&b).await?,
        Body::Chunked(b) => {
            write_chunks(&mut stream, &b).await?;
            stream.write_all(b"0\r\n\r\n").await?;
        }
        Body::ChunkedCut(b) => write_chunks(&mut stream, &b).await?,
        Body::Stall { sent, .. } => {
            stream.write_all(&sent).await?;
            stream.flush().await?;
            return stall().await;
        }
        Body::Trickle { bytes, every } => {
            for b in bytes {
                stream.write_all(&[b]).await?;
                stream.flush().await?;
                tokio::time::sleep(every).await;
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}

async fn write_chunks(stream: &mut TcpStream, body: &[u8]) -> std::io::Result<()> {
    for chunk in body.chunks(100) {
        stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
        stream.write_all(chunk).await?;
        stream.write_all(b"\r\n").await?;
    }
    Ok(())
}

async fn stall() -> std::io::Result<()> {
    tokio::time::sleep(Duration::from_secs(60)).await;
    Ok(())
}
