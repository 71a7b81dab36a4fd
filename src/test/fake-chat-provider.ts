import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CLIENT_GONE,
  clientGone,
  createChatState,
  readJsonBody,
  sendJson,
  sleep,
  startFakeServer,
  type FakeChatControls,
  type FakeChatRecord,
  type FakeReply,
} from './fake-server.js';

/**
 * The request lifecycle both chat-provider fakes (fake-anthropic.ts, fake-openai.ts) share, so
 * each fake says only what its provider says: how it words a refusal, what its routes answer.
 * Every request first waits `delayMs` (the client may leave meanwhile), then takes the next
 * `failNext` status, then meets the provider's own checks (key, version, model); a chat request
 * is recorded before any of that, so a test sees a request that was refused or is still running.
 */
export interface ChatProviderWire<Request extends FakeChatRecord> {
  defaultReply: FakeReply<Request>;
  /** Answers a queued `failNext` status as the provider words a server error. */
  sendFailure(res: ServerResponse, status: number): void;
  /**
   * The provider's own refusals (`model` undefined on routes without one), knowing the keys and
   * models tests refused: answers and returns the status, or undefined.
   */
  check(req: IncomingMessage, res: ServerResponse, model: string | undefined, refusedBy: { keys: ReadonlySet<string>; models: ReadonlySet<string> }): number | undefined;
  /** Routes by `METHOD /path`; a POST gets its JSON body. */
  routes: Record<string, (req: IncomingMessage, res: ServerResponse, gone: AbortSignal, body: Record<string, unknown>) => Promise<void>>;
  /** `GET /v1/models/{id}` once the request passed the checks: the provider's model object. */
  modelObject(model: string): object;
  /** What the fake records of a model lookup besides the model and the status (the key as sent). */
  lookupRecord(req: IncomingMessage): object;
  notFound(res: ServerResponse, req: IncomingMessage): void;
}

/** A started provider fake: its controls, the lists tests read, and the lifecycle for its routes. */
export interface ChatProviderFake<Request extends FakeChatRecord, Lookup> {
  controls: FakeChatControls<Request>;
  origin: string;
  chatRequests: Request[];
  modelLookups: Lookup[];
  /** The delay, the failure queue and the provider's checks: the status when the request ends there. */
  refused(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, model: string | undefined): Promise<number | undefined>;
  /**
   * Records a chat request and passes it through `refused`. Returns the answer's timing, read now
   * (a test that resets the fake mid-request does not change a running answer), or undefined when
   * the request was refused; `reject(status)` refuses it later (an invalid body).
   */
  beginChat(
    req: IncomingMessage,
    res: ServerResponse,
    gone: AbortSignal,
    record: Omit<Request, 'status' | 'outcome' | 'deltasSent'>,
  ): Promise<{ record: Request; timing: Pick<FakeChatControls<Request>, 'chunkDelayMs' | 'dropAfterDeltas'>; reject(status: number): void } | undefined>;
  /** Clears the lists and the controls. */
  reset(): void;
  close(): Promise<void>;
}

export async function startChatProviderFake<Request extends FakeChatRecord, Lookup>(wire: ChatProviderWire<Request>): Promise<ChatProviderFake<Request, Lookup>> {
  const state = createChatState(wire.defaultReply);
  const { controls } = state;
  const chatRequests: Request[] = [];
  const modelLookups: Lookup[] = [];

  async function refused(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, model: string | undefined) {
    await sleep(controls.delayMs, gone);
    if (gone.aborted) return CLIENT_GONE;
    const failure = state.failures.take();
    if (failure !== undefined) {
      wire.sendFailure(res, failure);
      return failure;
    }
    return wire.check(req, res, model, { keys: state.rejectedKeys, models: state.rejectedModels });
  }

  const markRefused = (record: Request, status: number) => Object.assign(record, { status, outcome: status === CLIENT_GONE ? 'client-closed' : 'refused' });

  const beginChat: ChatProviderFake<Request, Lookup>['beginChat'] = async (req, res, gone, fields) => {
    const timing = { chunkDelayMs: controls.chunkDelayMs, dropAfterDeltas: controls.dropAfterDeltas };
    const record = { ...fields, status: 200, outcome: 'pending', deltasSent: 0 } as Request;
    chatRequests.push(record);
    const status = await refused(req, res, gone, record.model);
    if (status !== undefined) return void markRefused(record, status);
    return { record, timing, reject: (rejected: number) => void markRefused(record, rejected) };
  };

  async function lookupModel(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, model: string) {
    const status = await refused(req, res, gone, model);
    modelLookups.push({ model, ...wire.lookupRecord(req), status: status ?? 200 } as Lookup);
    if (status === undefined) sendJson(res, 200, wire.modelObject(model));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const gone = clientGone(res);
    const url = req.url ?? '';
    const body = req.method === 'POST' ? await readJsonBody(req) : {};
    const route = wire.routes[`${req.method} ${url}`];
    if (route) return route(req, res, gone, body);
    if (req.method === 'GET' && url.startsWith('/v1/models/')) return lookupModel(req, res, gone, decodeURIComponent(url.slice('/v1/models/'.length)));
    wire.notFound(res, req);
  }

  const server = await startFakeServer((req, res) => state.track(handle(req, res)));
  return {
    controls,
    origin: server.origin,
    chatRequests,
    modelLookups,
    refused,
    beginChat,
    reset() {
      chatRequests.length = 0;
      modelLookups.length = 0;
      state.reset();
    },
    close: server.close,
  };
}

/** A chat request answered as one JSON body: one "delta", and done. */
export function completedAsJson(record: FakeChatRecord): void {
  record.deltasSent = 1;
  record.outcome = 'completed';
}
