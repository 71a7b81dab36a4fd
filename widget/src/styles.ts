// The widget's only stylesheet, inside its shadow root: the page's CSS cannot reach in, this cannot
// leak out. `:host` rules marked !important win over the page's own !important rules for the host
// element (the inner context wins for important declarations), and `all: initial` cuts every
// inherited property (font, colour, line height…) off from the page — except direction, which `all`
// leaves alone, so it is set too. Sizes are in px, never rem,
// so the page's root font size does not matter either.
export const css = `
:host{all:initial!important;direction:ltr!important;unicode-bidi:isolate!important;display:block!important;position:fixed!important;inset:auto 0 0 auto!important;width:0!important;height:0!important;margin:0!important;padding:0!important;border:0!important;overflow:visible!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;z-index:2147483647!important;pointer-events:none!important}
.root{--accent:#2563eb;--on-accent:#fff;font:14px/1.6 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans JP","Noto Sans CJK JP",Meiryo,sans-serif;color:#1f2937;text-align:left;-webkit-font-smoothing:antialiased;pointer-events:auto}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,textarea,input{font:inherit;color:inherit;margin:0}
button{cursor:pointer;background:none;border:0;padding:0}
button:disabled{cursor:default}
:focus{outline:none}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
svg{display:block;width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;background:var(--accent);color:var(--on-accent);display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25);transition:transform .15s}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline-color:#111827}
.launcher .when-open,.open .launcher .when-closed{display:none}
.open .launcher .when-open{display:block}
.left .launcher{right:auto;left:20px}
.panel{position:fixed;bottom:88px;right:20px;width:380px;height:600px;max-height:calc(100vh - 108px);max-width:calc(100vw - 40px);display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden;animation:rise .18s ease-out}
.left .panel{right:auto;left:20px}
@keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
.header{display:flex;align-items:center;gap:4px;padding:10px 8px 10px 16px;background:var(--accent);color:var(--on-accent)}
.title{flex:1;margin:0;font-size:16px;font-weight:600;line-height:1.4;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon{width:36px;height:36px;border-radius:8px;display:flex;align-items:center;justify-content:center}
.icon svg{width:20px;height:20px}
.icon:hover{background:rgba(255,255,255,.18)}
.header :focus-visible{outline-color:var(--on-accent);outline-offset:-3px}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px;background:#f9fafb;overscroll-behavior:contain}
.msg{max-width:88%;padding:9px 13px;border-radius:14px;word-wrap:break-word;overflow-wrap:anywhere;white-space:normal}
.msg p{margin:0}
.msg p+p,.msg p+ul,.msg p+ol,.msg ul+p,.msg ol+p{margin-top:8px}
.msg ul,.msg ol{margin:4px 0;padding-left:22px}
.msg strong{font-weight:700}
.user{align-self:flex-end;background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px;white-space:pre-wrap}
.bot{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px}
.notice{align-self:stretch;max-width:none;background:#fef2f2;border:1px solid #fecaca;color:#991b1b}
.dots{display:inline-flex;gap:4px;padding:6px 0}
.dots i{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
.cite{display:inline-block;min-width:18px;padding:0 4px;margin:0 1px;border-radius:6px;background:#eef2ff;color:#3730a3;font-size:11px;font-weight:600;line-height:17px;text-align:center;vertical-align:1px}
.cite:hover{background:#e0e7ff}
.sources{margin-top:10px;padding-top:8px;border-top:1px solid #e5e7eb}
.sources h3{margin:0 0 4px;font-size:12px;font-weight:600;color:#6b7280}
.sources ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.sources li{display:flex;gap:8px;padding:6px;border-radius:8px;font-size:12px;line-height:1.5;transition:background-color .3s}
.sources li.flash{background:#fef9c3}
.num{flex:none;font-weight:600;color:#3730a3}
.file{font-weight:600;word-break:break-all}
a.file{color:inherit;text-decoration:underline}
.page{color:#6b7280}
.excerpt{display:-webkit-box;margin:2px 0 0;color:#4b5563;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.detail{margin-top:4px;font-size:12px;color:#7f1d1d}
.handoff{margin-top:10px;padding-top:10px;border-top:1px solid #e5e7eb;display:flex;flex-direction:column;gap:6px}
.handoff .lead{font-size:13px;font-weight:600}
.handoff .hours{padding:6px 8px;border-radius:8px;background:#fffbeb;color:#92400e;font-size:12px}
.handoff-contact{padding:7px 10px;border:1px solid #d1d5db;border-radius:8px;background:#fff;font-size:13px}
.handoff-contact::placeholder{color:#6b7280;opacity:1}
.handoff-contact:focus-visible{outline:2px solid var(--accent);outline-offset:0;border-color:var(--accent)}
.handoff-take{align-self:flex-start;padding:7px 14px;border-radius:999px;background:var(--accent);color:var(--on-accent);font-weight:600}
.handoff-take:disabled{opacity:.45}
.handoff-status{font-size:12px;color:#374151}
.handoff-status:empty{display:none}
a.route{color:inherit;font-weight:600;text-decoration:underline}
.rating{margin-top:8px;display:flex;flex-direction:column;gap:6px}
.rate-row{display:flex;gap:4px}
.rate{width:32px;height:28px;border-radius:8px;border:1px solid #d1d5db;color:#6b7280;display:flex;align-items:center;justify-content:center}
.rate svg{width:16px;height:16px}
.rate.down svg{transform:rotate(180deg)}
.rate:hover{color:#1f2937;border-color:#9ca3af}
.rate[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.rate-form{display:flex;gap:6px}
.rate-comment{flex:1;min-width:0;padding:6px 10px;border:1px solid #d1d5db;border-radius:8px;background:#fff;font-size:13px}
.rate-comment::placeholder{color:#6b7280;opacity:1}
.rate-comment:focus-visible{outline:2px solid var(--accent);outline-offset:0;border-color:var(--accent)}
.rate-send{padding:6px 12px;border-radius:8px;background:var(--accent);color:var(--on-accent);font-size:13px;font-weight:600}
.rate-status{font-size:12px;color:#6b7280}
.rate-status:empty{display:none}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;min-height:40px;max-height:120px;padding:9px 12px;border:1px solid #d1d5db;border-radius:10px;background:#fff;line-height:1.5;color:#1f2937}
textarea::placeholder{color:#6b7280;opacity:1}
textarea:focus-visible{outline:2px solid var(--accent);outline-offset:0;border-color:var(--accent)}
.send{flex:none;width:40px;height:40px;border-radius:10px;background:var(--accent);color:var(--on-accent);display:flex;align-items:center;justify-content:center}
.send svg{width:20px;height:20px}
.send:disabled{opacity:.45}
@media (max-width:480px){
.panel,.left .panel{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}
.open .launcher{display:none}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;

/** White or near-black, whichever reads better on the accent colour (WCAG relative luminance). */
export function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111827';
}
