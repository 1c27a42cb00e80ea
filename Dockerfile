# One image for every KRT Bank Node process; docker-compose.yml and the Kubernetes manifests pick the entry point.
# Two stages: the build stage has the dev dependencies (Angular CLI, esbuild) and runs `npm run build`; the runtime
# stage has production dependencies and the built output only, runs as a non-root user, and starts plain JavaScript.

# ---- build: dev dependencies, Angular (browser + SSR) with precompressed assets, esbuild bundles of every process
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NG_CLI_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs all --force

# ---- runtime: production dependencies, dist/, and the files the processes read at run time
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# SQL migrations (run at start-up) and the sanctions/PEP sample the KYC checks read.
COPY libs/platform/migrations ./libs/platform/migrations
COPY apps/payments/migrations ./apps/payments/migrations
COPY apps/onboarding/migrations ./apps/onboarding/migrations
COPY apps/notifications/migrations ./apps/notifications/migrations
COPY data ./data
USER node
ENV PORT=5000
EXPOSE 5000
# Every process answers /health: on PORT, or on HEALTH_PORT where its health port has its own variable (consumers).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||5000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "./dist/node/libs/platform/src/telemetry/telemetry.register.js", "dist/node/apps/bff/src/main.js"]
