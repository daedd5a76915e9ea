import { describe, expect, it } from 'vitest';
import { runDemo } from '../../shared/cli/commands/demo.js';

describe('npm start (the demo)', () => {
  it('runs the whole pipeline and prints the Azerbaijan alerts as e-mail and SMS, and nothing else', async () => {
    const lines: string[] = [];
    await runDemo({ keepRunning: false, out: (line) => lines.push(line) });
    const output = lines.join('\n');

    expect(output).toContain('ILLUSTRATIVE');
    expect(output).toMatch(/1\. ingest\s+4 Comtrade calls, 684 observations: 684 new/);
    expect(output).toMatch(/2\. detect\s+27 series .*: 2 anomalies/);
    expect(output).toContain('── SMS subscriber (69 chars) ─ CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
    expect(output).toContain('── e-mail subscriber ─ Subject: [tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y');
    // The unit-value explanation, from the illustrative weights the local Comtrade server serves, marked as such.
    expect(output).toContain('      Volume and price: volume +25 %, unit value +47 %: both volume and price');
    expect(output).toContain('      Volume and price: volume +71 %, unit value +15 %: mostly volume');
    expect(output).toContain("(the net weights behind volume and unit value are the demo's illustrative ones, not published figures)");
    const subjects = lines.filter((l) => l.startsWith('── e-mail subscriber'));
    expect(subjects).toHaveLength(2);
    for (const subject of subjects) expect(subject).toMatch(/Azerbaijan, Jan-Feb 2024/);
    expect(output).toMatch(/series stored\s+18/);
    expect(output).toMatch(/3\. alert\s+2 alerts sent as 6 SNS messages \(one per route\), 0 silenced, 0 failed/);
    expect(output).toMatch(/messages delivered\s+e-mail route 2, SMS route 2, feed 2/);
    expect(output).toContain('npm test');
  });
});
