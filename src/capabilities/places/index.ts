import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { placesApi } from './places.api.js';
import { placesPages } from './places.routes.js';

/** Areas and their boundaries: the GeoJSON import (page, API, CLI) and the map of concerns by area. */
export const placesCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  placesPages(app, opts.services.places);
  placesApi(app, opts.services.places);
};
