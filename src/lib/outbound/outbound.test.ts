import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai.js';
import { startFakeServer, type FakeServer } from '../../test/fake-server.js';
import { judgeAddress } from './address-policy.js';
import { checkOutboundUrl, createOutboundFetch, outboundRefusal, OutboundRefusedError, type OutboundOptions } from './outbound-fetch.js';

const strict = { allowPrivateNetworks: false };
const selfHosted = { allowPrivateNetworks: true };

// [address, allowed on a shared service, allowed when private networks are allowed]
const addresses: Array<[string, boolean, boolean]> = [
  ['8.8.8.8', true, true],
  ['2606:4700:4700::1111', true, true],
  ['127.0.0.1', false, true],
  ['127.255.255.254', false, true],
  ['::1', false, true],
  ['10.0.0.5', false, true],
  ['172.16.0.1', false, true],
  ['192.168.1.10', false, true],
  ['100.64.0.1', false, true],
  ['fd12:3456::1', false, true],
  ['fec0::1', false, true],
  // Cloud metadata and link-local: never.
  ['169.254.169.254', false, false],
  ['169.254.170.2', false, false],
  ['100.100.100.200', false, false],
  ['168.63.129.16', false, false],
  ['192.0.0.192', false, false],
  ['fd00:ec2::254', false, false],
  ['fe80::1', false, false],
  // IPv4 inside IPv6 is judged as the IPv4 address.
  ['::ffff:169.254.169.254', false, false],
  ['::ffff:a9fe:a9fe', false, false],
  ['::ffff:127.0.0.1', false, true],
  ['::ffff:8.8.8.8', true, true],
  ['64:ff9b::a9fe:a9fe', false, false],
  ['2002:a9fe:a9fe::1', false, false],
  ['2002:0808:0808::1', true, true],
  // Special-purpose ranges: never.
  ['0.0.0.0', false, false],
  ['::', false, false],
  ['224.0.0.1', false, false],
  ['255.255.255.255', false, false],
  ['240.0.0.1', false, false],
  ['192.0.2.1', false, false],
  ['198.18.0.1', false, false],
  ['2001::1', false, false],
  ['ff02::1', false, false],
  ['not-an-address', false, false],
];

describe(`address policy (${addresses.length * 2} verdicts)`, () => {
  for (const [address, shared, selfHost] of addresses) {
    test(`${address}: ${shared ? 'allowed' : 'refused'} on a shared service, ${selfHost ? 'allowed' : 'refused'} self-hosted`, () => {
      const onShared = judgeAddress(address, strict);
      const onSelfHosted = judgeAddress(address, selfHosted);
      assert.equal(onShared.allowed, shared);
      assert.equal(onSelfHosted.allowed, selfHost);
      if (!onShared.allowed) assert.ok(onShared.reason.length > 10, 'a refusal says why');
    });
  }
});

// URL spellings of internal addresses: the WHATWG parser normalises them, the policy judges the result.
const disguised: Array<[string, RegExp]> = [
  ['http://2130706433:11434/v1', /127\.0\.0\.1 is a loopback/],
  ['http://0177.0.0.1/v1', /127\.0\.0\.1 is a loopback/],
  ['http://0x7f.1/v1', /127\.0\.0\.1 is a loopback/],
  ['http://127.1/v1', /127\.0\.0\.1 is a loopback/],
  ['http://[::ffff:127.0.0.1]/v1', /127\.0\.0\.1 is a loopback/],
  ['http://[::ffff:a9fe:a9fe]/latest', /169\.254\.169\.254 is a cloud metadata|link-local/],
  ['http://2852039166/latest', /169\.254\.169\.254/],
  ['http://0251.0376.0251.0376/', /169\.254\.169\.254/],
  ['http://[fd00:ec2::254]/', /cloud metadata/],
  ['http://[64:ff9b::a9fe:a9fe]/', /169\.254\.169\.254/],
  ['http://localhost:11434/v1', /localhost resolves to .*loopback/],
  ['http://0.0.0.0:8000/v1', /unspecified/],
];

describe(`URLs a tenant might type (${disguised.length} spellings)`, () => {
  for (const [url, reason] of disguised) {
    test(`${url} is refused: ${reason.source}`, async () => {
      await assert.rejects(checkOutboundUrl(url, strict), (error: Error) => error instanceof OutboundRefusedError && reason.test(error.message));
    });
  }

  test('metadata stays refused when private networks are allowed; loopback then passes', async () => {
    await assert.rejects(checkOutboundUrl('http://[::ffff:a9fe:a9fe]/', selfHosted), OutboundRefusedError);
    await checkOutboundUrl('http://localhost:11434/v1', selfHosted);
  });
});

describe('the guarded fetch, through the OpenAI SDK', () => {
  let provider: FakeOpenAI;
  let port: string;
  const received = () => provider.chatRequests.length + provider.modelLookups.length + provider.requests.length;

  before(async () => {
    provider = await startFakeOpenAI();
    port = new URL(provider.baseUrl).port;
  });
  after(() => provider.close());

  const sdk = (baseURL: string, options: OutboundOptions) =>
    new OpenAI({ apiKey: 'sk-tenant-secret-0123456789', baseURL, maxRetries: 0, fetch: createOutboundFetch(options), logLevel: 'off' });
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  const refusedWith = (pattern: RegExp) => (error: Error) => pattern.test(outboundRefusal(error)?.message ?? '');

  test('loopback on a shared service: refused before connecting, so the key is never sent', async () => {
    provider.reset();
    await assert.rejects(ask(sdk(provider.baseUrl, strict)), refusedWith(/127\.0\.0\.1 is a loopback/));
    assert.equal(received(), 0);
  });

  test('loopback when the operator allows private networks: answered', async () => {
    provider.reset();
    const answer = await ask(sdk(provider.baseUrl, selfHosted));
    assert.match(answer.choices[0]!.message.content ?? '', /You said: hi/);
    assert.equal(provider.chatRequests.length, 1);
  });

  test('DNS rebinding: public at the save-time check, loopback at connection time → refused, nothing sent', async () => {
    provider.reset();
    let lookups = 0;
    const rebinding: OutboundOptions = { ...strict, resolve: async () => (++lookups === 1 ? ['93.184.215.14'] : ['127.0.0.1']) };
    const url = `http://rebind.example:${port}/v1`;
    await checkOutboundUrl(url, rebinding);
    await assert.rejects(ask(sdk(url, rebinding)), refusedWith(/rebind\.example resolves to 127\.0\.0\.1/));
    assert.equal(received(), 0);
  });

  test('a name with several allowed addresses: the next one is tried when the first does not answer', async () => {
    provider.reset();
    // Nothing listens on 127.0.0.2 (the fake binds 127.0.0.1 only): that connection is refused, the second answers.
    const twoAddresses: OutboundOptions = { ...selfHosted, resolve: async () => ['127.0.0.2', '127.0.0.1'] };
    const answer = await ask(sdk(`http://two.example:${port}/v1`, twoAddresses));
    assert.match(answer.choices[0]!.message.content ?? '', /You said: hi/);
    assert.equal(provider.chatRequests.length, 1);
  });

  test('a name with one internal address among public ones is refused', async () => {
    const mixed: OutboundOptions = { ...strict, resolve: async () => ['8.8.8.8', '10.0.0.7'] };
    await assert.rejects(checkOutboundUrl('http://mixed.example/v1', mixed), /resolves to 10\.0\.0\.7/);
  });

  describe('redirects are never followed', () => {
    let redirector: FakeServer;
    let target: string;
    before(async () => {
      redirector = await startFakeServer(async (req, res) => {
        res.writeHead(307, { location: target });
        res.end();
      });
    });
    after(() => redirector.close());

    for (const [name, to] of [
      ['to the metadata service', () => 'http://169.254.169.254/latest/meta-data/iam/'],
      ['to another (allowed) local server', () => `${provider.baseUrl}/chat/completions`],
    ] as const) {
      test(name, async () => {
        provider.reset();
        target = to();
        await assert.rejects(ask(sdk(`${redirector.origin}/v1`, selfHosted)), refusedWith(/redirect \(307\) to http/));
        assert.equal(received(), 0, 'the redirect target got nothing');
      });
    }
  });
});
