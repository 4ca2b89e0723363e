/**
 * Real black-holed endpoints on loopback, for the timeout tests: one that accepts connections and
 * never answers, one whose headers come but whose body never ends, and one that never accepts (a
 * listening socket with a full accept queue: Linux drops further SYNs, so connect() hangs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface BlackHole {
  readonly endpoint: string;
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<BlackHole> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts every connection, reads the request, and never sends a byte. */
export function silentEndpoint(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  return listen(server, sockets);
}

/** Answers with headers for a body it never finishes sending. */
export function stallingEndpoint(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(
        'HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 1000\r\n\r\n{"',
      );
    });
  });
  return listen(server, sockets);
}

/**
 * A port that never accepts: Python listens with a backlog of 0 and never calls accept(); one filler
 * connection fills the queue, after which the kernel drops every SYN and connects hang.
 */
export async function unacceptingEndpoint(): Promise<BlackHole> {
  const python: ChildProcess = spawn(
    'python3',
    [
      '-c',
      "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(0); print(s.getsockname()[1], flush=True); sys.stdin.read()",
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    python.once('error', reject);
    python.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const fillers: Socket[] = [];
  // Fill the accept queue until a connect no longer completes.
  for (let attempt = 0; attempt < 8; attempt++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 300);
    });
    if (!connected) break;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      python.stdin?.end();
      python.kill();
    },
  };
}
