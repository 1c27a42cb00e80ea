# One image for every KRT Bank Node process (docker-compose.yml picks the entry point per service).
FROM node:20-bookworm-slim
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx ng build web || true
USER node
CMD ["node", "--import", "tsx", "apps/bff/src/main.ts"]
