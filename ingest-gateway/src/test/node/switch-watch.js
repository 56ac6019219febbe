// A non-JVM service following costmeter's kill switches over HTTP (ingest-gateway's
// GET /v1/switches/stream, Server-Sent Events), with no dependency beyond Node itself (>= 18: fetch).
// Each `switch` event carries the signed command; like a careful client it verifies the Ed25519
// signature itself (the canonical text of client/README.md, "Wire contract") with the public keys
// it trusts before obeying. Run by ingest-gateway's GatewayIT.
//
// Environment: STREAM_URL, TOKEN (bearer), VERIFY_KEYS ('id:base64,...'), SCOPE (to wait for),
// WATCH_TIMEOUT_MS. Prints one JSON line per event ({"connected":true} first), and exits 0 once a
// verified BLOCK for SCOPE arrived, 1 on timeout or a stream error.
const crypto = require('crypto')

function canonical(c) {
  const f = (name, v) => v == null ? `${name}=-1:\n` : `${name}=${Buffer.byteLength(String(v))}:${v}\n`
  return 'costmeter-control-v2\n' + f('scope', c.scope) + f('action', c.action) +
    f('fallback_model', c.fallback_model) + f('reason', c.reason) + f('issued_at', c.issued_at) +
    f('expires_at', c.expires_at) + f('issuer', c.issuer) + f('sequence', c.sequence) + f('key_id', c.key_id) +
    f('algorithm', c.algorithm)
}
function verifyKeys(text) {
  return Object.fromEntries(text.split(',').map(e => {
    const entry = e.trim(), colon = entry.indexOf(':')
    return [entry.slice(0, colon), crypto.createPublicKey({ key: Buffer.from(entry.slice(colon + 1), 'base64'), format: 'der', type: 'spki' })]
  }))
}
function verified(c, keys) {
  const key = keys[c.key_id]
  if (c.algorithm !== 'Ed25519' || !key) return false
  return crypto.verify(null, Buffer.from(canonical(c), 'utf8'), key, Buffer.from(c.signature, 'base64'))
}

async function main() {
  const keys = verifyKeys(process.env.VERIFY_KEYS)
  const scope = process.env.SCOPE
  const timer = setTimeout(() => { console.error('no verified BLOCK of ' + scope + ' in time'); process.exit(1) },
    Number(process.env.WATCH_TIMEOUT_MS || 60000))
  const response = await fetch(process.env.STREAM_URL, {
    headers: { Authorization: `Bearer ${process.env.TOKEN}`, Accept: 'text/event-stream' } })
  if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`)
  console.log(JSON.stringify({ connected: true }))
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const lines = frame.split('\n')
      if (!lines.includes('event: switch')) continue        // heartbeats and comments
      const data = lines.filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n')
      const command = JSON.parse(data)
      const ok = verified(command, keys)
      const receivedAt = Date.now()
      console.log(JSON.stringify({ scope: command.scope, action: command.action, verified: ok,
        latency_ms: receivedAt - command.issued_at, command }))
      if (ok && command.scope === scope && command.action === 'BLOCK') {
        clearTimeout(timer)
        process.exit(0)
      }
    }
  }
  throw new Error('the stream ended')
}

main().catch(err => { console.error(err); process.exit(1) })
