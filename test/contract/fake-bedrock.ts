import * as http from 'http';
import * as http2 from 'http2';
import * as net from 'net';
import * as tls from 'tls';
import * as zlib from 'zlib';

/** One request as the fake endpoint received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The host the client asked for (through the proxy: the AWS host it meant). */
  readonly host: string;
  /** The access key id that signed it (SigV4 Authorization header), if any. */
  readonly signedBy?: string;
}

/** Who the fake STS says a key is, and what the fake hands out. */
export interface FakeIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly arn: string;
}

/** The developer's own IAM user: long-term keys in ~/.aws/credentials (AWS's documentation example pair). */
export const DEVELOPER: FakeIdentity = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', arn: 'arn:aws:iam::111122223333:user/alice.smith',
};
/** The invoke role's session, as AssumeRole returns it. */
export const INVOKE_ROLE_SESSION: FakeIdentity = {
  accessKeyId: 'ASIAIOSFODNN7ROLE001',
  secretAccessKey: 'roleSecretKeyEXAMPLEroleSecretKeyEXAMPLE',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEROLETOKEN',
  arn: 'arn:aws:sts::111122223333:assumed-role/ClaudeCodeBedrockInvoke/alice',
};
/** The permission-set role's session, as the Identity Center portal's GetRoleCredentials returns it. */
export const PERMISSION_SET_SESSION: FakeIdentity = {
  accessKeyId: 'ASIAIOSFODNN7SSO0001',
  secretAccessKey: 'ssoRoleSecretEXAMPLEssoRoleSecretEXAMPLE',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESSOTOKEN',
  arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6/alice',
};
const IDENTITIES = [DEVELOPER, INVOKE_ROLE_SESSION, PERMISSION_SET_SESSION];

/** The SigV4 access key id of a request (AWS General Reference, "Signature Version 4": Authorization header). */
export function signer(headers: http.IncomingHttpHeaders): string | undefined {
  return /Credential=([A-Z0-9]+)\//.exec(String(headers.authorization ?? ''))?.[1];
}

/** A tool result Claude Code sent back in a model request. */
export interface ToolResult {
  readonly toolUseId: string;
  readonly text: string;
}

/**
 * Bedrock (control plane and runtime) and STS on 127.0.0.1, for the real Claude Code client. It
 * answers in the shapes the AWS API references give: ListInferenceProfiles, GetInferenceProfile,
 * InvokeModel, InvokeModelWithResponseStream (an `application/vnd.amazon.eventstream` of `chunk`
 * events whose `bytes` are base64 Anthropic stream events), CountTokens, and STS GetCallerIdentity and AssumeRole (XML).
 */
export class FakeBedrock {
  public readonly requests: RecordedRequest[] = [];
  /** How far ahead of now AssumeRole's Expiration lies (STS's default DurationSeconds is 3,600). */
  public sessionSeconds = 3600;
  /** When set, the fake plays the model: a request that offers the Bash tool gets this command as a Bash call. */
  public bashCommand?: string;
  /** The Bash results Claude Code sent back, in order. */
  public readonly toolResults: ToolResult[] = [];
  /** The Identity Center access token the portal accepts. */
  public portalToken = '';
  private tlsOptions?: tls.SecureContextOptions;
  // An HTTPS proxy for *.amazonaws.com (HTTPS_PROXY): CONNECT, then TLS with the test's certificate, then this fake.
  private readonly proxy = net.createServer((socket) => {
    socket.once('data', (first) => {
      const target = /^CONNECT ([^:\s]+):\d+ HTTP/.exec(first.toString('latin1'));
      if (!target || !this.tlsOptions) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const secure = new tls.TLSSocket(socket, { isServer: true, ...this.tlsOptions });
      secure.on('error', () => socket.destroy());
      this.http1.emit('connection', secure);
    });
    socket.on('error', () => socket.destroy());
  });
  // Claude Code's Messages client speaks HTTP/1.1; its BedrockRuntimeClient (CountTokens) speaks HTTP/2
  // without TLS. One port serves both, told apart by HTTP/2's connection preface.
  private readonly http1 = http.createServer((req, res) => this.answer(req, res));
  private readonly http2 = http2.createServer((req, res) =>
    this.answer(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse));
  private readonly ports = { http1: 0, http2: 0 };
  // A plain TCP front that hands each connection, unread, to the server of its protocol.
  private readonly server = net.createServer((socket) => {
    socket.once('data', (first) => {
      const upstream = net.connect(first.toString('latin1').startsWith('PRI * HTTP/2.0') ? this.ports.http2 : this.ports.http1, '127.0.0.1');
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    });
  });

  public async start(): Promise<string> {
    this.ports.http1 = await listen(this.http1);
    this.ports.http2 = await listen(this.http2);
    return `http://127.0.0.1:${await listen(this.server)}`;
  }

  /** Starts the HTTPS proxy that serves AWS hosts with this key and certificate; returns its URL. */
  public async startProxy(key: string, cert: string): Promise<string> {
    this.tlsOptions = { key, cert };
    return `http://127.0.0.1:${await listen(this.proxy)}`;
  }

  public async stop(): Promise<void> {
    this.http1.closeAllConnections();
    for (const server of [this.http1, this.http2, this.server, ...(this.tlsOptions ? [this.proxy] : [])]) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      const host = String(req.headers.host ?? req.headers[':authority'] ?? '');
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, body, host, signedBy: signer(req.headers) });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'POST' && path === '/' && body.includes('Action=GetCallerIdentity')) {
        const caller = IDENTITIES.find((i) => i.accessKeyId === signer(req.headers));
        if (!caller) {
          res.writeHead(403, { 'content-type': 'text/xml' });
          res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(callerIdentityXml(caller));
        return;
      }
      // The Identity Center portal's GetRoleCredentials (IAM Identity Center Portal API Reference).
      if (req.method === 'GET' && path === '/federation/credentials') {
        if (!this.portalToken || req.headers['x-amz-sso_bearer_token'] !== this.portalToken) {
          return json(401, { message: 'Session token not found or invalid' });
        }
        const s = PERMISSION_SET_SESSION;
        const expiration = Date.now() + this.sessionSeconds * 1000;
        const { accessKeyId, secretAccessKey, sessionToken } = s;
        return json(200, { roleCredentials: { accessKeyId, secretAccessKey, sessionToken, expiration } });
      }
      if (req.method === 'POST' && path === '/' && body.includes('Action=AssumeRole')) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(assumeRoleXml(new URLSearchParams(body), this.sessionSeconds));
        return;
      }
      if (req.method === 'GET' && path === '/inference-profiles') {
        return json(200, { inferenceProfileSummaries: [] });
      }
      const profile = /^\/inference-profiles\/(.+)$/.exec(path);
      if (req.method === 'GET' && profile) {
        return json(200, inferenceProfile(profile[1]));
      }
      const model = /^\/model\/(.+)\/(invoke|invoke-with-response-stream|count-tokens)$/.exec(path);
      if (model?.[2] === 'invoke-with-response-stream') {
        res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json' });
        for (const event of this.modelTurn(model[1], body)) {
          res.write(eventStreamMessage({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') }));
        }
        res.end();
        return;
      }
      if (model?.[2] === 'invoke') {
        return json(200, { id: 'msg_fake', type: 'message', role: 'assistant', model: model[1], content: [{ type: 'text', text: 'OK' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } });
      }
      if (model?.[2] === 'count-tokens') {
        return json(200, { inputTokens: 42 });
      }
      json(404, { message: `the fake does not answer ${req.method} ${path}` });
    });
  }

  /** The model's turn: a Bash call where one is scripted and the tool is offered, else 'OK'; tool results are kept. */
  private modelTurn(model: string, body: string): unknown[] {
    let request: { tools?: Array<{ name?: string }>; messages?: Array<{ role: string; content: unknown }> } = {};
    try {
      request = JSON.parse(body);
    } catch {
      return streamEvents(model);
    }
    const last = request.messages?.[request.messages.length - 1];
    const results = Array.isArray(last?.content) ? (last!.content as Array<{ type?: string; tool_use_id?: string; content?: unknown }>).filter((c) => c.type === 'tool_result') : [];
    for (const r of results) {
      const text = typeof r.content === 'string' ? r.content : JSON.stringify(r.content);
      this.toolResults.push({ toolUseId: r.tool_use_id ?? '', text });
    }
    if (this.bashCommand && results.length === 0 && request.tools?.some((t) => t.name === 'Bash')) {
      return toolUseEvents(model, 'toolu_probe' + String(this.toolResults.length), { command: this.bashCommand, description: 'Look around' });
    }
    return streamEvents(model);
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

// Anthropic Messages streaming: a tool_use block's input arrives as input_json_delta (Anthropic API docs, "Streaming messages").
function toolUseEvents(model: string, id: string, input: unknown): unknown[] {
  return [
    { type: 'message_start', message: { id: 'msg_fake_tool', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name: 'Bash', input: {} } },
    { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 20 } },
    { 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 10, outputTokenCount: 20, invocationLatency: 1, firstByteLatency: 1 } },
  ];
}

// A system-defined US profile routes to these Regions (catalog.json, us. profiles).
export const US_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

function inferenceProfile(id: string) {
  const modelId = id.replace(/^[a-z-]+\.(?=anthropic\.)/, '');
  return {
    inferenceProfileName: `US ${modelId}`,
    description: `Routes requests to ${modelId} in ${US_DESTINATIONS.join(', ')}.`,
    createdAt: '2025-09-29T00:00:00Z',
    updatedAt: '2025-09-29T00:00:00Z',
    inferenceProfileArn: `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${id}`,
    models: US_DESTINATIONS.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${modelId}` })),
    inferenceProfileId: id,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

function streamEvents(model: string): unknown[] {
  return [
    { type: 'message_start', message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'OK' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
    { 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 10, outputTokenCount: 1, invocationLatency: 1, firstByteLatency: 1 } },
  ];
}

// AWS event stream framing: prelude (total and header lengths, CRC32), string headers, payload, CRC32.
function eventStreamMessage(payload: unknown): Buffer {
  const header = (name: string, value: string) => {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const b = Buffer.alloc(4 + n.length + v.length);
    b.writeUInt8(n.length, 0);
    n.copy(b, 1);
    b.writeUInt8(7, 1 + n.length); // 7: string
    b.writeUInt16BE(v.length, 2 + n.length);
    v.copy(b, 4 + n.length);
    return b;
  };
  const headers = Buffer.concat([header(':event-type', 'chunk'), header(':content-type', 'application/json'), header(':message-type', 'event')]);
  const data = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(12 + headers.length + data.length + 4, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const head = Buffer.concat([prelude, crc(prelude), headers, data]);
  return Buffer.concat([head, crc(head)]);
}

function crc(b: Buffer): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(b), 0);
  return out;
}

/** The source profile is an IAM user whose name differs from the login name, as on many developers' machines. */
export const SOURCE_USER_NAME = 'alice.smith';

function callerIdentityXml(caller: FakeIdentity): string {
  return '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
    + `<Arn>${caller.arn}</Arn><UserId>AIDAJQABLZS4A3QDU576Q</UserId><Account>111122223333</Account>`
    + '</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
}

function assumeRoleXml(params: URLSearchParams, sessionSeconds: number): string {
  const name = params.get('RoleSessionName') ?? '';
  const expiration = new Date(Date.now() + sessionSeconds * 1000).toISOString();
  return '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
    + `<SourceIdentity>${params.get('SourceIdentity') ?? ''}</SourceIdentity>`
    + `<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/ClaudeCodeBedrockInvoke/${name}</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:${name}</AssumedRoleId></AssumedRoleUser>`
    + `<Credentials><AccessKeyId>${INVOKE_ROLE_SESSION.accessKeyId}</AccessKeyId><SecretAccessKey>${INVOKE_ROLE_SESSION.secretAccessKey}</SecretAccessKey>`
    + `<SessionToken>${INVOKE_ROLE_SESSION.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
    + '</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>';
}
