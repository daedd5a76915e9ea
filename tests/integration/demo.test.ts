import { describe, expect, it } from 'vitest';
import { runDemo } from '../../shared/cli/commands/demo.js';

describe('npm start (the demo)', () => {
  it('runs the whole pipeline and prints the Azerbaijan alerts as e-mail and SMS, the one mirror gap as e-mail, the HS6 digest, and nothing else', async () => {
    const lines: string[] = [];
    await runDemo({ keepRunning: false, out: (line) => lines.push(line) });
    const output = lines.join('\n');

    expect(output).toContain('ILLUSTRATIVE');
    expect(output).toContain("and, for one mirror, KGZ's own report of its imports from CHN (ILLUSTRATIVE too)");
    expect(output).toContain("and 3 HS6 series, CHN's exports of integrated circuits (854231, 854232, CHPL tier 1) to KGZ and KAZ (ILLUSTRATIVE too)");
    // China's 18 series in 4 calls, Kyrgyzstan's imports from China (the mirror side) in 4 more, the 3 HS6 series in 4 more.
    expect(output).toMatch(/1\. ingest\s+12 Comtrade calls, 836 observations: 836 new/);
    // The HS6 codes' second release is asked too, as the daily run would: only China's totals were revised.
    expect(output).toMatch(/2 call\(s\) for the release of 2024-04-20: 1 month revised/);
    expect(output).toMatch(/2\. detect\s+31 series .*: 5 anomalies/);
    expect(output).toContain('── SMS subscriber (69 chars) ─ CN-AZ trade Jan-Feb 2024 +83% y/y (US$520m) vol +25% UV +47% CRITICAL');
    expect(output).toContain('── e-mail subscriber ─ Subject: [tradewatch critical] China trade with Azerbaijan, Jan-Feb 2024: +83% y/y');
    // The unit-value explanation, from the illustrative weights the local Comtrade server serves, marked as such.
    expect(output).toContain('      Volume and price: volume +25 %, unit value +47 %: both volume and price');
    expect(output).toContain('      Volume and price: volume +71 %, unit value +15 %: mostly volume');
    expect(output).toContain("(the net weights behind volume and unit value are the demo's illustrative ones, not published figures)");
    const subjects = lines.filter((l) => l.startsWith('── e-mail subscriber'));
    expect(subjects).toHaveLength(4);
    // The Azerbaijan alerts are the only critical ones; the mirror gap is a warning, alerted once.
    const critical = subjects.filter((s) => s.includes('[tradewatch critical]'));
    expect(critical).toHaveLength(2);
    for (const subject of critical) expect(subject).toMatch(/Azerbaijan, Jan-Feb 2024/);
    expect(subjects.filter((s) => s.includes('Mirror gap'))).toEqual([
      '── e-mail subscriber ─ Subject: [tradewatch warning] Mirror gap opens, China exports to Kyrgyzstan, Jan-Feb 2024: 0.45x to 0.30x',
    ]);
    expect(output).toMatch(/China reports exports to Kyrgyzstan of US\$2\.79bn in Jan-Feb 2024; Kyrgyzstan reports imports from China of US\$891m \(US\$841m FOB at a 6 % CIF\/FOB margin\)/);
    // Kyrgyzstan's two integrated-circuit codes took little before March 2022 and much after: one digest of
    // warnings, marked illustrative; Kazakhstan's steady trade in 854231 is not in it.
    expect(subjects.filter((s) => s.includes('[tradewatch digest]'))).toEqual([
      '── e-mail subscriber ─ Subject: [tradewatch digest] 2 series took little before 2022-03 and much after (2 warning)',
    ]);
    expect(output).toMatch(/WARNING {2}China exports to Kyrgyzstan, HS 854232 \(CHPL tier 1\): US\$71\.5k in Mar 2021-Feb 2022 \(US\$6\.0k a month\), US\$8\.7m in Mar 2023-Feb 2024/);
    expect(output).toMatch(/WARNING {2}China exports to Kyrgyzstan, HS 854231 \(CHPL tier 1\): US\$261\.6k in Mar 2021-Feb 2022/);
    expect(output).not.toMatch(/China exports to Kazakhstan, HS 854231/);
    expect(output).toContain("(the HS6 series are the demo's illustrative ones, not China-customs figures)");
    expect(lines.filter((l) => l.startsWith('── SMS subscriber')).every((l) => l.includes('CN-AZ'))).toBe(true);
    // China's 18 series, Kyrgyzstan's side and the 3 HS6 series.
    expect(output).toMatch(/series stored\s+22/);
    expect(output).toMatch(/3\. alert\s+5 alerts sent as 11 SNS messages \(one per route\), 0 silenced, 0 failed/);
    expect(output).toMatch(/messages delivered\s+e-mail route 4, SMS route 2, feed 5/);
    expect(output).toContain('npm test');
  });
});
