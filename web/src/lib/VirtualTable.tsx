import { Text } from '@mantine/core';
import { type ColumnDef, type SortingState, flexRender, getCoreRowModel, getSortedRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';

const ROW_HEIGHT = 36;

interface Props<T> {
  /** What the table lists, for assistive technology: "Components". */
  label: string;
  data: T[];
  // biome-ignore lint/suspicious/noExplicitAny: TanStack's column definitions vary in value type per column.
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  onOpen?: (row: T) => void;
  initialSorting?: SortingState;
  height?: number | string;
  empty?: string;
}

/**
 * A sortable table that renders only the rows in view (TanStack Table for sorting and cells,
 * TanStack Virtual for the window), so 10,000 rows cost what 30 do. Rows open on click or Enter.
 * Columns size themselves with `size` (pixels, the last one takes the rest).
 */
export function VirtualTable<T>({ label, data, columns, getRowId, onOpen, initialSorting = [], height = 'calc(100vh - 330px)', empty = 'Nothing to show.' }: Props<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const widthOf = (size: number, last: boolean) => (last ? { flex: `1 0 ${size}px` } : { flex: `0 0 ${size}px`, width: size });
  const headers = table.getHeaderGroups()[0].headers;

  return (
    <div ref={scroller} className="vt-scroll" style={{ height }}>
      <table aria-label={label} aria-rowcount={rows.length + 1} className="vt-table">
        <thead className="vt-head">
          <tr className="vt-tr">
            {headers.map((header, i) => {
              const sorted = header.column.getIsSorted();
              return (
                <th
                  key={header.id}
                  className="vt-cell"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  style={widthOf(header.getSize(), i === headers.length - 1)}
                >
                  {header.column.getCanSort() ? (
                    <button type="button" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }} className="vt-body">
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            const cells = row.getVisibleCells();
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                className="vt-tr vt-row"
                tabIndex={onOpen ? 0 : undefined}
                onClick={onOpen ? () => onOpen(row.original) : undefined}
                onKeyDown={onOpen ? (e) => e.key === 'Enter' && onOpen(row.original) : undefined}
                style={{ position: 'absolute', height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {cells.map((cell, i) => (
                  <td key={cell.id} className="vt-cell" style={widthOf(cell.column.getSize(), i === cells.length - 1)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && (
        <Text c="dimmed" p="md" size="sm">
          {empty}
        </Text>
      )}
    </div>
  );
}
