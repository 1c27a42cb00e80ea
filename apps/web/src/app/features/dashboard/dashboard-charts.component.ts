// The dashboard's two charts, apart from the page: ngx-charts and d3 are ~65 kB gzipped, so the page loads them in an
// `@defer (on idle)` block after its first paint (the server renders the placeholder and the accessible data tables).
import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { BarChartModule, LineChartModule, ScaleType, type Color } from '@swimlane/ngx-charts';
import { SAO_PAULO_OFFSET } from '../../ui/pipes';

const brlAxis = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL', maximumFractionDigits: 0 });
const COLORS: Color = { name: 'krt', selectable: false, group: ScaleType.Ordinal, domain: ['#6d28d9', '#0f766e', '#b45309', '#be123c', '#1d4ed8', '#4d7c0f'] };
const yTick = (v: number) => brlAxis.format(v);
const xTick = (d: Date | string) => formatDate(d, 'dd/MM', 'pt-BR', SAO_PAULO_OFFSET);

export interface LineSeries {
  name: string;
  series: { name: Date; value: number }[];
}

/** Balance over the last days (fits its container). */
@Component({
  selector: 'krt-balance-chart',
  standalone: true,
  imports: [LineChartModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // ngx-charts fits the size of its parent: this host, which fills the card's chart area.
  styles: [':host { display: block; width: 100%; height: 100%; }'],
  template: `<ngx-charts-line-chart
    [results]="series()" [scheme]="colors" [xAxis]="true" [yAxis]="!hideAmounts()" [autoScale]="true"
    [xAxisTickFormatting]="xTick" [yAxisTickFormatting]="yTick" [timeline]="false" [animations]="false"
    [roundDomains]="true" [tooltipDisabled]="true" />`,
})
export class BalanceChartComponent {
  readonly series = input.required<LineSeries[]>();
  /** "Ocultar saldo": the amounts axis would tell the balance, so it goes. */
  readonly hideAmounts = input(false);
  protected readonly colors = COLORS;
  protected readonly xTick = xTick;
  protected readonly yTick = yTick;
}

/** Spending by category as horizontal bars (fits its container). */
@Component({
  selector: 'krt-spending-chart',
  standalone: true,
  imports: [BarChartModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: [':host { display: block; width: 100%; height: 100%; }'],
  template: `<ngx-charts-bar-horizontal
    [results]="items()" [scheme]="colors" [xAxis]="true" [yAxis]="true" [xAxisTickFormatting]="yTick"
    [animations]="false" [tooltipDisabled]="true" [barPadding]="12" />`,
})
export class SpendingChartComponent {
  readonly items = input.required<{ name: string; value: number }[]>();
  protected readonly colors = COLORS;
  protected readonly yTick = yTick;
}
