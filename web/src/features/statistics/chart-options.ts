import type { EChartsCoreOption } from 'echarts/core';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import { ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

const palette = [
  '#c0392b',
  '#e67e22',
  '#f1c40f',
  '#27ae60',
  '#16a085',
  '#2980b9',
  '#8e44ad',
  '#7f8c8d',
  '#d35400',
];

/** Ethnic composition as a ring: the largest groups by name, the rest together. */
export function ethnicCompositionOption(
  stats: RegistryStatistics,
  compact = false,
  top = 8,
): EChartsCoreOption {
  const entries = Object.entries(stats.byEthnicity).sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, top).map(([code, value]) => ({ name: ethnicityName(code), value }));
  const rest = entries.slice(top).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) shown.push({ name: t.dashboard.others, value: rest });
  return {
    color: palette,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['38%', '68%'],
        center: ['50%', '45%'],
        // On a phone the legend names the slices; outside labels would not fit.
        label: compact ? { show: false } : { formatter: '{b}\n{c}' },
        data: shown,
      },
    ],
  };
}

/** Minority residents of each direct child unit (grids of a community, communities of a street). */
export function minorityByChildOption(stats: RegistryStatistics): EChartsCoreOption {
  const rows = stats.byChild.filter((row) => row.orgUnitId !== null || row.residents > 0);
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((row) => row.name ?? t.dashboard.ownRecords),
      axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t.dashboard.cards.minorityResidents,
        data: rows.map((row) => row.minorityResidents),
        barMaxWidth: 36,
        label: { show: true, position: 'top' },
      },
    ],
  };
}

/** The age pyramid: men to the left, women to the right, ten-year bands from young at the bottom. */
export function agePyramidOption(stats: RegistryStatistics): EChartsCoreOption {
  const labels = stats.ageBands.map((band) => t.dashboard.ageBand(band.from, band.to));
  return {
    color: ['#2980b9', '#c0392b'],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value: number) => `${Math.abs(value)} 人`,
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (value: number) => String(Math.abs(value)) } },
    yAxis: { type: 'category', data: labels, axisTick: { show: false } },
    series: [
      {
        name: t.dashboard.male,
        type: 'bar',
        stack: 'population',
        data: stats.ageBands.map((band) => -band.male),
        barCategoryGap: '15%',
      },
      {
        name: t.dashboard.female,
        type: 'bar',
        stack: 'population',
        data: stats.ageBands.map((band) => band.female),
      },
    ],
  };
}
