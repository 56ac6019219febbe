// The Node example of client/README.md ("Node (kafkajs + @kafkajs/confluent-schema-registry)"), run
// by local-stack's NodeClientIT against a freshly started stack: it reports RUN_COUNT Anthropic calls
// exactly as the README's report() does, then reads llm.ledger.v1 from the beginning, decodes every
// record through the registry and prints the ledger rows of its own calls, one JSON object a line.
// It exits 0 once every call has its row, 1 when ROUNDTRIP_TIMEOUT_MS passes first.
//
// Environment: BROKERS (host:port[,...]), REGISTRY_URL, RUN_ID (unique per run), RUN_COUNT (3).
const { Kafka, logLevel } = require('kafkajs')
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry')
const crypto = require('crypto')

const brokers = (process.env.BROKERS || 'localhost:9092').split(',')
const registry = new SchemaRegistry({ host: process.env.REGISTRY_URL || 'http://localhost:8081' })
const runId = process.env.RUN_ID || crypto.randomUUID()
const count = Number(process.env.RUN_COUNT || 3)
const timeoutMs = Number(process.env.ROUNDTRIP_TIMEOUT_MS || 120000)

const kafka = new Kafka({ clientId: 'costmeter-node-example', brokers, logLevel: logLevel.WARN })
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 })

async function report(usage, { eventId, tenant, taskId, taskClass, route, model }) {
  // usage: an Anthropic Messages usage object; input_tokens already excludes cache tokens
  const id = await registry.getLatestSchemaId('llm.usage.v1-value')
  const event = {
    event_id: eventId, event_time: Date.now(), tenant_id: tenant, task_id: taskId,
    task_class: taskClass, route, provider: 'anthropic', model,
    input_tokens: usage.input_tokens, output_tokens: usage.output_tokens,
    cache_read_tokens: usage.cache_read_input_tokens ?? 0,
    cache_write_tokens: usage.cache_creation_input_tokens ?? 0, reasoning_tokens: 0,
  }
  // The README's example does not await on the request path; this test awaits, to fail loudly.
  await producer.send({ topic: 'llm.usage.v1', acks: -1,
                        messages: [{ key: taskId, value: await registry.encode(id, event) }] })
}

async function main() {
  const ids = new Set()
  await producer.connect()
  for (let i = 0; i < count; i++) {
    const eventId = `${runId}-${i}`
    ids.add(eventId)
    await report({ input_tokens: 1000 + i, output_tokens: 200, cache_read_input_tokens: 5000, cache_creation_input_tokens: 300 },
      { eventId, tenant: 'node-tenant', taskId: `${runId}-task`, taskClass: 'node-example', route: 'node-route',
        model: process.env.MODEL || 'claude-sonnet-4-6' })
  }
  await producer.disconnect()

  // Read every partition from the beginning under a throw-away group; kafkajs reads committed data
  // only by default (read_committed), as every reader of the transactional ledger must.
  const consumer = kafka.consumer({ groupId: `node-example-${runId}` })
  await consumer.connect()
  await consumer.subscribe({ topic: 'llm.ledger.v1', fromBeginning: true })
  const seen = new Set()
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.size} of ${ids.size} ledger rows within ${timeoutMs} ms`)), timeoutMs)
    consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value == null) return
        const row = await registry.decode(message.value)
        if (!ids.has(row.event_id) || seen.has(row.event_id)) return
        seen.add(row.event_id)
        process.stdout.write(JSON.stringify(row) + '\n')
        if (seen.size === ids.size) { clearTimeout(timer); resolve() }
      },
    }).catch(reject)
  })
  try {
    await done
  } finally {
    await consumer.disconnect()
  }
}

main().then(() => process.exit(0), err => { console.error(err); process.exit(1) })
