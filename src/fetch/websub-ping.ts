/**
 * Tells a WebSub hub that feeds changed (https://www.w3.org/TR/websub/#publishing): one POST per
 * changed feed URL, `hub.mode=publish&hub.url=<feed>` (form-encoded, the form hubs such as
 * Superfeedr and websub.rocks accept). The hub then fetches the feed and pushes it to subscribers.
 */
import { WireError, errorText } from '../model/wire-error.ts';

export interface PingOptions {
  userAgent: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Pings `hub` for each URL of `feedUrls`. Resolves with the URLs the hub did not accept (a 2xx is
 * acceptance), each with the reason; never throws for a hub's failure: a hub that is down must
 * not fail a publish (the feed is stored and served all the same).
 */
export async function pingHub(hub: string, feedUrls: readonly string[], opts: PingOptions): Promise<{ url: string; reason: string }[]> {
  const failed: { url: string; reason: string }[] = [];
  for (const url of feedUrls) {
    const reason = await pingOne(hub, url, opts).then(
      () => null,
      (err: unknown) => errorText(err),
    );
    if (reason !== null) failed.push({ url, reason });
  }
  return failed;
}

async function pingOne(hub: string, url: string, opts: PingOptions): Promise<void> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const res = await fetch(hub, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': opts.userAgent },
    body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
    signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
    redirect: 'error',
  }).catch((err: unknown) => {
    throw timeout.aborted
      ? new WireError('FETCH_TIMEOUT', `hub ${hub} did not answer within ${opts.timeoutMs} ms`, { cause: err })
      : new WireError('FETCH_NETWORK', `hub ${hub}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status > 299) {
    throw new WireError(res.status >= 500 ? 'HTTP_5XX' : 'HTTP_4XX', `hub ${hub} answered ${res.status} for ${url}`);
  }
}
