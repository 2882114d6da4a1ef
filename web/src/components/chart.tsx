import { Skeleton } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number;
  /** Accessible name: what the chart shows. */
  label: string;
}

/** An ECharts chart; the library is fetched the first time a chart is shown. */
export function Chart({ option, height = 320, label }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<{
    setOption: (o: EChartsCoreOption, notMerge: boolean) => void;
    dispose: () => void;
    resize: () => void;
  }>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('@/lib/echarts.ts').then(({ echarts }) => {
      if (disposed || !element.current) return;
      const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
      chart.current = instance;
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(element.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, true);
  }, [ready, option]);

  return (
    <div role="img" aria-label={label} style={{ position: 'relative', height }}>
      <div ref={element} style={{ height, width: '100%' }} />
      {!ready && (
        <div style={{ position: 'absolute', inset: 0 }}>
          <Skeleton active paragraph={{ rows: 5 }} />
        </div>
      )}
    </div>
  );
}
