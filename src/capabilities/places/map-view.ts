import type { Translate } from '../../platform/i18n/index.js';
import type { Published } from '../../platform/suppression.js';
import { bandOf, bandsFor, type Band } from './choropleth.js';
import { project } from './projection.js';
import type { MapArea } from './places.service.js';

/**
 * Everything the map template draws, worked out here so the template only places it: projected
 * shapes with their band, the legend, and the table rows. Text is left to the template (autoescaped).
 */

export interface LegendItem extends Band {
  label: string;
  areas: number;
}

export interface MapView {
  width: number;
  height: number;
  shapes: { id: string; d: string; band: string; title: string }[];
  legend: LegendItem[];
  rows: {
    id: string;
    name: string;
    group: string;
    count: string;
    band: string;
    onMap: boolean;
    sort: number;
  }[];
  withoutBoundary: number;
}

export function countText(cell: Published, t: Translate, lang: string): string {
  if (cell.state === 'small') return t('places.map.small');
  if (cell.state === 'withheld') return t('places.map.withheld');
  return new Intl.NumberFormat(lang).format(cell.value);
}

function bandLabel(band: Band, t: Translate, lang: string): string {
  const n = new Intl.NumberFormat(lang);
  if (band.kind === 'zero') return t('places.map.bands.zero');
  if (band.kind === 'small') return t('places.map.bands.small');
  if (band.kind === 'withheld') return t('places.map.bands.withheld');
  return band.from === band.to
    ? n.format(band.from!)
    : t('places.map.bands.range', { from: n.format(band.from!), to: n.format(band.to!) });
}

/** A sort key that puts the largest figures first and hidden ones after every shown figure. */
function sortValue(cell: Published): number {
  return cell.state === 'shown' ? cell.value : cell.state === 'withheld' ? -1 : -2;
}

export function buildMapView(areas: readonly MapArea[], t: Translate, lang: string): MapView {
  const bands = bandsFor(areas.map((a) => a.cell));
  const drawn = areas.filter((a) => a.geometry !== null);
  const projection = project(drawn.map((a) => ({ id: a.id, geometry: a.geometry! })));
  const byId = new Map(drawn.map((a) => [a.id, a]));
  const shapes = projection.shapes.map((s) => {
    const area = byId.get(s.id)!;
    return {
      id: s.id,
      d: s.d,
      band: bandOf(area.cell, bands).id,
      title: t('places.map.shapeTitle', { name: area.name, count: countText(area.cell, t, lang) }),
    };
  });
  const legend = bands.map((b) => ({
    ...b,
    label: bandLabel(b, t, lang),
    areas: areas.filter((a) => bandOf(a.cell, bands).id === b.id).length,
  }));
  const rows = areas
    .map((a) => ({
      id: a.id,
      name: a.name,
      group: a.groupName,
      count: countText(a.cell, t, lang),
      band: bandLabel(bandOf(a.cell, bands), t, lang),
      onMap: a.geometry !== null,
      sort: sortValue(a.cell),
    }))
    .sort((x, y) => y.sort - x.sort || x.name.localeCompare(y.name));
  return {
    width: projection.width,
    height: projection.height,
    shapes,
    legend,
    rows,
    withoutBoundary: areas.length - drawn.length,
  };
}
