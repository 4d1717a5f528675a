import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { paths } from '../paths.js';

/**
 * The JSON API is described by the zod schemas on its routes; @fastify/swagger turns them into an
 * OpenAPI document served at /api/docs/json, with Swagger UI at /api/docs.
 */
export const apiDocs = fp(
  async (app) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Heard API',
          description:
            'Everything the staff pages can do. Authenticate with a personal API token (Authorization: Bearer …) created under "API tokens", or with a signed-in session plus an X-CSRF-Token header.',
          version: '1.0.0',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
          },
        },
        security: [{ bearer: [] }],
      },
      // Only the JSON API is documented; the HTML pages are for people, not clients.
      transform: (args) =>
        args.url.startsWith('/api/v1/')
          ? jsonSchemaTransform(args)
          : { schema: { ...args.schema, hide: true }, url: args.url },
    });
    await app.register(swaggerUi, { routePrefix: paths.api.docs(), staticCSP: false });
  },
  { name: 'api-docs' },
);
