// Drives the costmeter registry with @kafkajs/confluent-schema-registry, a third-party Confluent
// Schema Registry client: register a schema, encode a record in the Confluent wire format, then
// with a fresh client (empty cache) fetch the writer schema by id and decode the record.
// Run by ConfluentClientInteropIT with REGISTRY_URL, SCHEMA_FILE, SUBJECT and OUTPUT_DIR set, and
// REGISTRY_USERNAME / REGISTRY_PASSWORD for a registry that asks for basic auth.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import registryClient from '@kafkajs/confluent-schema-registry';

const { SchemaRegistry, SchemaType } = registryClient;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

const registryUrl = requiredEnv('REGISTRY_URL');
const schemaFile = requiredEnv('SCHEMA_FILE');
const subject = requiredEnv('SUBJECT');
const outputDir = requiredEnv('OUTPUT_DIR');

// Keep in step with the assertions in ConfluentClientInteropIT.
const usageEvent = {
  event_id: 'evt-interop-1',
  event_time: 1767225600000,
  tenant_id: 'acme',
  task_id: 'ticket-42',
  task_class: 'support-answer',
  route: '/support/answer',
  prompt_version: 'summarize@v7',
  end_user_id: null,
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  input_tokens: 1200,
  output_tokens: 350,
  cache_read_tokens: 800,
  cache_write_tokens: 0,
  reasoning_tokens: 120,
  batch: false,
  attempt: 2,
  step: 3,
  tool_name: 'search_kb',
  tool_args_hash: null,
  prompt_hash: 'ab12cd34',
  status: 'RATE_LIMITED',
  response_cache_hit: false,
  latency_ms: 812,
  provider_cost_nanos: 5400000,
  labels: { team: 'support' },
};

const clientOptions = { host: registryUrl, retry: { retries: 0 } };
if (process.env.REGISTRY_USERNAME) {
  clientOptions.auth = { username: process.env.REGISTRY_USERNAME, password: process.env.REGISTRY_PASSWORD };
}
const schema = await readFile(schemaFile, 'utf8');

const writer = new SchemaRegistry(clientOptions);
const { id } = await writer.register({ type: SchemaType.AVRO, schema }, { subject });
const encoded = await writer.encode(id, usageEvent);

const reader = new SchemaRegistry(clientOptions);
const fetched = await reader.getSchema(id);
const decoded = await reader.decode(encoded);
// Decoded records are instances of avsc's generated classes; compare their plain data.
const plain = JSON.parse(JSON.stringify(decoded));
// The fields UsageEvent v2 added (pricing dimensions) were left out above, as a producer written
// against v1 does: they are encoded with the schema's defaults and decode as such.
const expected = { ...usageEvent, cache_write_1h_tokens: 0, service_tier: null, request_counts: {} };
if (!isDeepStrictEqual(plain, expected)) {
  throw new Error(`decoded record differs: ${JSON.stringify(plain)}`);
}
const latestId = await reader.getLatestSchemaId(subject);

await writeFile(path.join(outputDir, 'usage-event.bin'), encoded);
await writeFile(path.join(outputDir, 'result.json'),
  JSON.stringify({ id, latestId, fetchedSchemaName: fetched.name }));
console.log(`registered id ${id} under ${subject}, encoded ${encoded.length} bytes, decoded back`);
