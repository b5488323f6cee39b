import { SPECIAL_LICENSES } from './special-licenses.js';
import { DEPRECATED_SPDX_LICENSE_IDS, SPDX_LICENSE_IDS } from './spdx-ids.js';

/** A license threat group as shipped: what every installation's root organization starts with. */
export interface DefaultThreatGroup {
  name: string;
  /** 0 (no threat) to 10. */
  threatLevel: number;
  licenseIds: string[];
}

/*
 * Names and threat levels, and where they come from.
 *
 * - The group names are the reference product's defaults for the root organization (Sonatype help,
 *   "License Threat Groups": Banned, Copyleft, Commercial, Non Standard, Weak Copyleft, Liberal,
 *   plus "Sonatype Special Licenses" and "Sonatype Informational"). Its newest docs add an AI/ML
 *   group whose content is Sonatype's own research; Tollgate does not ship it.
 * - Copyleft 9, Non Standard 6, Weak Copyleft 2, Liberal 0: the levels of the reference product's
 *   own default-group code (its public LicenseThreatGroupDAO.createDefaultGroups).
 * - Sonatype Special Licenses 5 and Sonatype Informational 0: the levels the reference product's
 *   own UI fixtures and integration tests show for these groups ("Sonatype Special Licenses", 5,
 *   category "severe"; "Sonatype Informational", 0, holding Not-Supported).
 * - Banned 10: the help page says only that Banned holds the AGPL licenses "that should not be
 *   permitted in any circumstances"; Tollgate gives it the top of the scale.
 * - Commercial 7: no published group level; 7 is the threat level of the reference policy
 *   "License-Commercial" as users of the reference product report it (Sonatype community forum).
 *
 * Which licenses go where is Tollgate's reading of each license's obligations (the reference's
 * assignments come from its legal team's research and are not public): network copyleft (AGPL)
 * banned; strong copyleft (GPL family and the like) copyleft; file- or library-level copyleft and
 * GPL with a linking exception weak copyleft; non-commercial or source-available terms commercial;
 * odd terms ("Beerware", "JSON": "shall be used for Good, not Evil") non standard; permissive
 * licenses liberal. Licenses matching no rule stay unassigned, which policies can flag as the
 * reference's "License-Threat Not Assigned" does. Organizations edit all of this per owner.
 */
const RULES: Array<{ group: string; match: RegExp }> = [
  { group: 'Banned', match: /^AGPL-/ },
  {
    group: 'Commercial',
    match: /^(CC-BY-NC-|BUSL-|Elastic-|PolyForm-|FSL-1\.1-|SSPL-|Parity-|Prosperity-|UnRAR$|Aladdin$|CAPEC-tou$|cve-tou$|IEC-Code-Components-EULA$)/,
  },
  {
    // GPL with an exception that lets other code link to it, as the deprecated ids spell it.
    group: 'Weak Copyleft',
    match: /^(GPL-[23]\.0-with-(GCC|autoconf|bison|classpath|font)-exception|eCos-2\.0|wxWindows|RHeCos-1\.1)$/,
  },
  {
    group: 'Copyleft',
    match: /^(GPL-|CC-BY-SA-|CC-SA-|OSL-|EUPL-|CECILL-(1\.0|1\.1|2\.0|2\.1)$|QPL-|RPL-|RPSL-|Sleepycat$|ODbL-|CPAL-|NGPL$|GFDL-|SMAIL-GPL$|copyleft-next-|CERN-OHL-S-|ESA-PL-strong-copyleft-|OSET-PL-|TGPPL-|CDLA-Sharing-|AGPL|SimPL-2\.0$|Arphic-1999$|LiLiQ-Rplus-|CAL-1\.0$|OGDL-Taiwan-1\.0$)/,
  },
  {
    group: 'Weak Copyleft',
    match: /^(LGPL|MPL-|EPL-|CDDL-|CPL-1\.0$|IPL-1\.0$|MS-RL$|MS-LPL$|APSL-|CECILL-C$|Nokia$|NPL-|SPL-1\.0$|ErlPL-|Motosoto$|OFL-|LPPL-|CERN-OHL-W-|ESA-PL-weak-copyleft-|LiLiQ-R-|CAL-1\.0-Combined-Work-Exception$|Interbase-|SISSL|Zimbra-|YPL-|OCCT-PL$|CATOSL-|Ruby$|Artistic-1\.0|ClArtistic$|MS-PL$|EUDatagrid$|gSOAP-|Watcom-1\.0$|MPL|CUA-OPL-|OSL|TAPR-OHL-|OLFL-|LAL-)/,
  },
  {
    group: 'Non Standard',
    match: /^(Beerware|WTFPL|WTFNMFPL|JSON|Glulxe|Crossword|Fair|diffmark|Borceux|Caldera|Caldera-no-preamble|Wsuipa|NLPL|Abstyles|Barr|Cube|Giftware|Nunit|Vim|Zed|Hippocratic-2\.1|Hippocratic-3\.0-core|CC-BY-ND-.*|GLWTPL|Bugroff|SCEA|Xnet|TMate|NOSL|Newsletr|Glide|Game-Programming-Gems|Eurosym|TTWL|BSD-3-Clause-No-(Military|Nuclear).*|OpenMDW-1\.0|Community-Spec-1\.0|Naumen|ANTLR-PD-fallback|XSkat|Dotseqn|Saxpath|CrystalStacker|Zeeff|FreeImage)$/,
  },
  {
    group: 'Liberal',
    match: /^(MIT|BSD-|0BSD$|CECILL-B$|Apache-|ISC|Zlib$|zlib-acknowledgement$|Unlicense|CC0-1\.0$|CC-BY-[0-9]|CC-PDDC$|CC-PDM-|PDDL-|PSF-2\.0$|Python-2\.0|CNRI-|BSL-1\.0$|X11|PostgreSQL$|NCSA$|Artistic-2\.0$|AFL-|ZPL-|OpenSSL|SSLeay-standalone$|Libpng$|libpng-|curl$|BlueOak-1\.0\.0$|UPL-1\.0$|W3C|Unicode-|ICU$|HPND|IJG|NTP|TCL$|PHP-3\.|EFL-|ECL-|Intel|JasPer-2\.0$|Info-ZIP$|FSFAP|FSFUL|MulanPSL-|AAL$|ADSL$|AML|Beerware-never$|blessing$|bzip2-|Boehm-GC|CDLA-Permissive-|CERN-OHL-P-|ESA-PL-permissive-|DOC$|EPICS$|Entessa$|Frameworx-1\.0$|FTL$|ImageMagick$|Imlib2$|ISC-Veillard$|Jam$|LiLiQ-P-|MirOS$|MITNFA$|Multics$|NASA-1\.3$|NIST-PD|NTIA-PD$|NCBI-PD$|Naumen$|OLDAP-|OGL-|ODC-By-1\.0$|O-UDA-1\.0$|C-UDA-1\.0$|PostgreSQL$|Plexus$|Qhull$|SGI-B-2\.0$|SMLNJ$|StandardML-NJ$|SunPro$|TCP-wrappers$|UCL-1\.0$|UnixCrypt$|VSL-1\.0$|Xerox$|XFree86-1\.1$|Zend-2\.0$|libtiff$|dtoa$|etalab-2\.0$|DL-DE-|NLOD-|OPUBL-1\.0$|any-OSI|Spencer-|Net-SNMP$|snprintf$|xinetd$|Sendmail|TU-Berlin-|UCAR$|w3m$|xpp$|SAX-PD|ANTLR-PD$|Baekmuk$|Bitstream-|Ubuntu-font-1\.0$|ParaType-Free-Font-1\.3$|mplus$|IPA$|Lucida-Bitmap-Fonts$|Knuth-CTAN$|Latex2e|MakeIndex$|psfrag$|ulem$|threeparttable$|Kazlib$|Linux-OpenIB$|OpenVision$|OFFIS$|GD$|HIDAPI$|HDF5$|NetCDF$|CFITSIO$|libselinux-1\.0$|magaz$|radvd$|Ruby-pty$|SWL$|Soundex$|TermReadKey$|Symlinks$|python-ldap$|pkgconf$|metamail$|mpich2$|mpi-permissive$|App-s2p$|AMPAS$|Adobe-|MIPS$|CMU-Mach|DEC-3-Clause$|Brian-Gladman-|Mackerras-|Martin-Birgmeier$|OGC-1\.0$|UMich-Merit$|Widget-Workshop$|X11-|xlock$|xzoom$|hdparm$|lsof$|ssh-keyscan$|SSH-|man2html$|ngrep$|fwlw$|Furuseth$|Gutmann$|Inner-Net-2\.0$|JPNIC$|Kastrup$|LZMA-SDK-|Leptonica$|Minpack$|NRL$|PADL$|Pixar$|RSA-MD$|Rdisc$|SGP4$|SL$|Sun-PPP|TTYP0$|TekHVC$|UnRAR-free$|URT-RLE$|Xfig$|bcrypt-Solar-Designer$|check-cvs$|checkmk$|dvipdfm$|eGenix$|generic-xts$|gnuplot$|gtkbook$|hyphen-bulgarian$|iMatix$|jove$|libutil-David-Nugent$|mailprio$|pnmstitch$|psutils$|softSurfer$|swrule$|wwl$|xkeyboard-config-Zinoviev$|Cronyx$|Clips$|Catharon$|CryptoSwift$|FBM$|Ferguson-Twofish$|GL2PS$|GCR-docs$|Graphics-Gems$|HP-19|HTMLTIDY$|ISO-permission$|JPL-image$|LOOP$|MMIXware$|MPEG-SSG$|MTLL$|McPhee-slideshow$|Mup$|NAIST-2003$|NICTA-1\.0$|NIST-Software$|OAR$|OSSP$|SNIA$|SOFA$|SchemeReport$|HaskellReport$|TPDL$|ThirdEye$|TrustedQSL$|VOSTROM$|WordNet$|Xdebug-1\.03$|fwlw$|lsof$|EPICS$|Cornell-Lossless-JPEG$|Aspell-RU$|Advanced-Cryptics-Dictionary$|BitTorrent-|IBM-pibs$|Informatica$|InnoSetup$|LPL-|LPD-document$|Linux-man-pages-1-para$|Noweb$|OML$|OpenPBS-2\.3$|SGMLUG-PM$|SMPPL$|SugarCRM-1\.1\.3$|TORQUE-1\.1$|TPL-1\.0$|TOSL$|VSL|Vixie-Cron$|atc-game$|ASWF-Digital-Assets-|3D-Slicer-1\.0$|AMD-newlib$|AMDPLPA$|APAFML$|APL-1\.0$|ALGLIB-Documentation$|AdaCore-doc$|BOLA-1\.1$|Buddy$|COIL-1\.0$|CDL-1\.0$|Condor-1\.1$|D-FSL-1\.0$|DRL-|DSDP$|DocBook-|FDK-AAC$|FDK-MPEG-H$|FreeBSD-DOC$|Linux-man-pages-copyleft|MMPL-1\.0\.1$|NBPL-1\.0$|NCGL-UK-2\.0$|NPOSL-3\.0$|OGTSL$|OPL-|OSC-1\.0$|RSCPL$|SHL-|SUL-1\.0$|Sendmail|UnRAR)/,
  },
];

/** The shipped groups, most threatening first, and the ids (SPDX and special) each holds. */
const DEFAULT_THREAT_GROUP_LEVELS: ReadonlyArray<{ name: string; threatLevel: number }> = [
  { name: 'Banned', threatLevel: 10 },
  { name: 'Copyleft', threatLevel: 9 },
  { name: 'Commercial', threatLevel: 7 },
  { name: 'Non Standard', threatLevel: 6 },
  { name: 'Sonatype Special Licenses', threatLevel: 5 },
  { name: 'Weak Copyleft', threatLevel: 2 },
  { name: 'Liberal', threatLevel: 0 },
  { name: 'Sonatype Informational', threatLevel: 0 },
];

/** SPDX combinations with a linking exception that weakens GPL to weak copyleft. */
const LINKING_EXCEPTIONS: Array<[RegExp, string]> = [
  [/^GPL-2\.0(-only|-or-later)?$/, 'Classpath-exception-2.0'],
  [/^GPL-2\.0(-only|-or-later)?$/, 'GCC-exception-2.0'],
  [/^GPL-3\.0(-only|-or-later)?$/, 'GCC-exception-3.1'],
  [/^GPL-[23]\.0(-only|-or-later)?$/, 'Autoconf-exception-generic'],
  [/^GPL-2\.0(-only|-or-later)?$/, 'Bison-exception-2.2'],
  [/^GPL-[23]\.0(-only|-or-later)?$/, 'Font-exception-2.0'],
  [/^GPL-[23]\.0(-only|-or-later)?$/, 'Universal-FOSS-exception-1.0'],
];

function buildDefaults(): DefaultThreatGroup[] {
  const members = new Map<string, string[]>(DEFAULT_THREAT_GROUP_LEVELS.map((g) => [g.name, []]));
  const all = [...SPDX_LICENSE_IDS, ...DEPRECATED_SPDX_LICENSE_IDS];
  for (const id of all) {
    const rule = RULES.find((r) => r.match.test(id));
    if (rule) members.get(rule.group)!.push(id);
  }
  for (const id of all) {
    for (const [license, exception] of LINKING_EXCEPTIONS) {
      if (license.test(id)) members.get('Weak Copyleft')!.push(`${id} WITH ${exception}`);
    }
  }
  members.get('Commercial')!.push(SPECIAL_LICENSES.UNLICENSED);
  members
    .get('Sonatype Special Licenses')!
    .push(SPECIAL_LICENSES.NOT_DECLARED, SPECIAL_LICENSES.NO_SOURCE_LICENSE, SPECIAL_LICENSES.NO_SOURCES, SPECIAL_LICENSES.NOT_PROVIDED);
  members.get('Sonatype Informational')!.push(SPECIAL_LICENSES.NOT_SUPPORTED);
  return DEFAULT_THREAT_GROUP_LEVELS.map((g) => ({ ...g, licenseIds: [...new Set(members.get(g.name)!)].sort() }));
}

export const DEFAULT_THREAT_GROUPS: readonly DefaultThreatGroup[] = buildDefaults();
