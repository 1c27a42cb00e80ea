// Apache Kafka 9092 in KRaft mode (no ZooKeeper): the broker's jars come from Maven Central (infra/kafka/pom.xml).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, TOOLS_DIR, componentDir, isPidAlive, logPath, portOpen, readPid, runOrThrow, spawnDetached, step, stopPid, waitFor, which, StackError } from './common.mjs';

export const KAFKA_PORT = Number(process.env.KAFKA_PORT ?? 9092);
const CONTROLLER_PORT = KAFKA_PORT + 1;
const POM = path.join(ROOT, 'infra/kafka/pom.xml');
const VERSION = /<kafka\.version>([^<]+)</.exec(fs.readFileSync(POM, 'utf8'))[1];
const CLUSTER_ID = 'S3JUQmFua0xvY2FsU3RhY2s';
const pidFile = () => path.join(componentDir('kafka'), 'kafka.pid');
const libsDir = () => path.join(TOOLS_DIR, `kafka-${VERSION}`, 'libs');
const topicsFile = path.join(ROOT, 'infra/kafka/topics.json');

async function kafkajs() {
  const mod = await import('kafkajs');
  return mod.default ?? mod;
}

function writeConfig() {
  const dir = componentDir('kafka');
  const file = path.join(dir, 'server.properties');
  fs.writeFileSync(file, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}`,
    `listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=6',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.retention.hours=168',
    '',
  ].join('\n'));
  return file;
}

function java(args, opts) {
  const cp = `${libsDir()}/*`;
  return runOrThrow('kafka', which('java'), ['-Xmx256m', '-cp', cp, `-Dlog4j2.configurationFile=${path.join(ROOT, 'infra/kafka/log4j2.properties')}`, ...args], opts);
}

async function withAdmin(fn) {
  const { Kafka, logLevel } = await kafkajs();
  const kafka = new Kafka({ clientId: 'krt-stack', brokers: [`127.0.0.1:${KAFKA_PORT}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin, kafka);
  } finally {
    await admin.disconnect();
  }
}

async function ensureTopics() {
  const { partitions, topics } = JSON.parse(fs.readFileSync(topicsFile, 'utf8'));
  await withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      step(`kafka: creating topics ${missing.join(', ')} (${partitions} partitions)`);
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    }
  });
}

/** Real health: produce a message and consume it back. */
async function produceConsume() {
  const { Kafka, logLevel } = await kafkajs();
  const kafka = new Kafka({ clientId: 'krt-stack-health', brokers: [`127.0.0.1:${KAFKA_PORT}`], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
  const marker = `health-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const consumer = kafka.consumer({ groupId: `krt-stack-health-${marker}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const producer = kafka.producer();
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topic: 'stack.healthcheck', fromBeginning: false });
    let seen = false;
    await consumer.run({ eachMessage: async ({ message }) => { if (message.value?.toString() === marker) seen = true; } });
    const deadline = Date.now() + 20_000;
    while (!seen && Date.now() < deadline) {
      await producer.send({ topic: 'stack.healthcheck', messages: [{ key: 'health', value: marker }] });
      await new Promise((r) => setTimeout(r, 700));
    }
    return seen;
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
  }
}

export const kafka = {
  name: 'kafka',
  ports: [KAFKA_PORT, CONTROLLER_PORT],
  pid() {
    const pid = readPid(pidFile());
    return isPidAlive(pid) ? pid : undefined;
  },
  async healthy() {
    return withAdmin(async (admin) => (await admin.describeCluster()).brokers.length > 0);
  },
  install() {
    if (!which('java')) throw new StackError('kafka', 'Java 17+ is required (apt-get install openjdk-17-jre-headless)');
    const marker = path.join(libsDir(), '.complete');
    if (fs.existsSync(marker)) return;
    if (!which('mvn')) throw new StackError('kafka', 'Maven is required to fetch the Kafka broker from Maven Central (apt-get install maven)');
    step(`kafka: fetching Apache Kafka ${VERSION} from Maven Central (first run only)`);
    fs.mkdirSync(libsDir(), { recursive: true });
    runOrThrow('kafka', 'mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${libsDir()}`, '-DincludeScope=runtime']);
    fs.writeFileSync(marker, `${VERSION}\n`);
  },
  async start() {
    const dir = componentDir('kafka');
    const config = writeConfig();
    if (!fs.existsSync(path.join(dir, 'data', 'meta.properties'))) {
      step('kafka: formatting KRaft storage (first run)');
      java(['kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', config, '--ignore-formatted']);
    }
    const pid = spawnDetached(which('java'), [
      '-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${path.join(ROOT, 'infra/kafka/log4j2.properties')}`,
      `-Dkafka.logs.dir=${dir}`,
      '-cp', `${libsDir()}/*`, 'kafka.Kafka', config,
    ], { log: logPath('kafka'), pidFile: pidFile() });
    await waitFor('kafka', () => portOpen(KAFKA_PORT), { timeoutMs: 60_000, isAlive: () => isPidAlive(pid) });
    await waitFor('kafka', () => this.healthy(), { timeoutMs: 60_000, intervalMs: 1000, isAlive: () => isPidAlive(pid) });
    await ensureTopics();
    await waitFor('kafka (produce/consume)', () => produceConsume(), { timeoutMs: 60_000, intervalMs: 1000 });
  },
  ensureTopics,
  ensureSetup: ensureTopics,
  async stop() {
    return stopPid(this.pid(), { graceMs: 20_000 });
  },
  async portTaken() {
    return portOpen(KAFKA_PORT);
  },
};
