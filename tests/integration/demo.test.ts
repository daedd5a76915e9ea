import { describe, expect, it } from 'vitest';
import { runDemo } from '../../shared/cli/commands/demo.js';

describe('npm start (the demo)', () => {
  it('runs the whole pipeline and prints the Azerbaijan alerts as e-mail and SMS, the one mirror gap as e-mail, and nothing else', async () => {
    const lines: string[] = [];
    await runDemo({ keepRunning: false, out: (line) => lines.push(line) });
    const output = lines.join('\n');

    expect(output).toContain('ILLUSTRATIVE');
    expect(output).toContain("and, for one mirror, KGZ's own report of its imports from CHN (ILLUSTRATIVE too)");
    // China's 18 series in 4 calls, and Kyrgyzstan's imports from China (the mirror side) in 4 more.
    expect(output).toMatch(/1\. ingest\s+8 Comtrade calls, 722 observations: 722 new/);
    expect(output).toMatch(/2\. detect\s+28 series .*: 3 anomalies/);
    expect(output).toContain('── SMS subscriber (69 chars) ─ CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
    expect(output).toContain('── e-mail subscriber ─ Subject: [tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y');
    // The unit-value explanation, from the illustrative weights the local Comtrade server serves, marked as such.
    expect(output).toContain('      Volume and price: volume +25 %, unit value +47 %: both volume and price');
    expect(output).toContain('      Volume and price: volume +71 %, unit value +15 %: mostly volume');
    expect(output).toContain("(the net weights behind volume and unit value are the demo's illustrative ones, not published figures)");
    const subjects = lines.filter((l) => l.startsWith('── e-mail subscriber'));
    expect(subjects).toHaveLength(3);
    // The Azerbaijan alerts are the only critical ones; the mirror gap is a warning, alerted once.
    const critical = subjects.filter((s) => s.includes('[tradewatch critical]'));
    expect(critical).toHaveLength(2);
    for (const subject of critical) expect(subject).toMatch(/Azerbaijan, Jan-Feb 2024/);
    expect(subjects.filter((s) => s.includes('Mirror gap'))).toEqual([
      '── e-mail subscriber ─ Subject: [tradewatch warning] Mirror gap opens, China exports to Kyrgyzstan, Jan-Feb 2024: 0.45x to 0.30x',
    ]);
    expect(output).toMatch(/China reports exports to Kyrgyzstan of US\$2\.79bn in Jan-Feb 2024; Kyrgyzstan reports imports from China of US\$891m \(US\$841m FOB at a 6 % CIF\/FOB margin\)/);
    expect(lines.filter((l) => l.startsWith('── SMS subscriber')).every((l) => l.includes('CN-AZ'))).toBe(true);
    expect(output).toMatch(/series stored\s+19/);
    expect(output).toMatch(/3\. alert\s+3 alerts sent as 8 SNS messages \(one per route\), 0 silenced, 0 failed/);
    expect(output).toMatch(/messages delivered\s+e-mail route 3, SMS route 2, feed 3/);
    expect(output).toContain('npm test');
  });
});
