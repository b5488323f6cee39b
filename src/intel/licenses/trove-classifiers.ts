/**
 * PyPI's `License ::` trove classifiers (https://pypi.org/classifiers/) and the SPDX expression each
 * stands for. A classifier is mapped only where it names one license; those naming a family without
 * a version (`Academic Free License (AFL)`, `Artistic License`, `Zope Public License`, …), public
 * domain or a proprietary license are left out and so stay unrecognized text, shown as written.
 *
 * Three conventions, because the classifier is all many projects declare:
 * - `Apache Software License` is Apache-2.0: Apache 1.x was retired in 2004 and the classifier is
 *   used for 2.0 in practice;
 * - `BSD License` is BSD-3-Clause, as intel/licenses/expression.ts reads "BSD License";
 * - an unversioned GPL / LGPL / GFDL classifier is "any version" (each license says a work that
 *   names no version may be used under any version ever published): GPL-1.0-or-later,
 *   LGPL-2.0-or-later, GFDL-1.1-or-later.
 */
export const TROVE_LICENSES: Readonly<Record<string, string>> = {
  'License :: Aladdin Free Public License (AFPL)': 'Aladdin',
  'License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
  'License :: CeCILL-B Free Software License Agreement (CECILL-B)': 'CECILL-B',
  'License :: CeCILL-C Free Software License Agreement (CECILL-C)': 'CECILL-C',
  'License :: Nokia Open Source License (NOKOS)': 'Nokia',
  'License :: OSI Approved :: Apache Software License': 'Apache-2.0',
  'License :: OSI Approved :: Attribution Assurance License': 'AAL',
  'License :: OSI Approved :: BSD License': 'BSD-3-Clause',
  'License :: OSI Approved :: Blue Oak Model License (BlueOak-1.0.0)': 'BlueOak-1.0.0',
  'License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'License :: OSI Approved :: CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)': 'CECILL-2.1',
  'License :: OSI Approved :: CMU License (MIT-CMU)': 'MIT-CMU',
  'License :: OSI Approved :: Common Development and Distribution License 1.0 (CDDL-1.0)': 'CDDL-1.0',
  'License :: OSI Approved :: Common Public License': 'CPL-1.0',
  'License :: OSI Approved :: Eclipse Public License 1.0 (EPL-1.0)': 'EPL-1.0',
  'License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'License :: OSI Approved :: Educational Community License, Version 2.0 (ECL-2.0)': 'ECL-2.0',
  'License :: OSI Approved :: European Union Public Licence 1.0 (EUPL 1.0)': 'EUPL-1.0',
  'License :: OSI Approved :: European Union Public Licence 1.1 (EUPL 1.1)': 'EUPL-1.1',
  'License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)': 'EUPL-1.2',
  'License :: OSI Approved :: GNU Affero General Public License v3': 'AGPL-3.0-only',
  'License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'License :: OSI Approved :: GNU Free Documentation License (FDL)': 'GFDL-1.1-or-later',
  'License :: OSI Approved :: GNU General Public License (GPL)': 'GPL-1.0-or-later',
  'License :: OSI Approved :: GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'License :: OSI Approved :: GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)': 'LGPL-2.0-or-later',
  'License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)': 'HPND',
  'License :: OSI Approved :: IBM Public License': 'IPL-1.0',
  'License :: OSI Approved :: ISC License (ISCL)': 'ISC',
  'License :: OSI Approved :: Intel Open Source License': 'Intel',
  'License :: OSI Approved :: MIT License': 'MIT',
  'License :: OSI Approved :: MIT No Attribution License (MIT-0)': 'MIT-0',
  'License :: OSI Approved :: MirOS License (MirOS)': 'MirOS',
  'License :: OSI Approved :: Motosoto License': 'Motosoto',
  'License :: OSI Approved :: Mozilla Public License 1.0 (MPL)': 'MPL-1.0',
  'License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)': 'MPL-1.1',
  'License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'License :: OSI Approved :: Mulan Permissive Software License v2 (MulanPSL-2.0)': 'MulanPSL-2.0',
  'License :: OSI Approved :: Nethack General Public License': 'NGPL',
  'License :: OSI Approved :: Nokia Open Source License': 'Nokia',
  'License :: OSI Approved :: Open Group Test Suite License': 'OGTSL',
  'License :: OSI Approved :: Open Software License 3.0 (OSL-3.0)': 'OSL-3.0',
  'License :: OSI Approved :: PostgreSQL License': 'PostgreSQL',
  'License :: OSI Approved :: Python License (CNRI Python License)': 'CNRI-Python',
  'License :: OSI Approved :: Python Software Foundation License': 'PSF-2.0',
  'License :: OSI Approved :: Qt Public License (QPL)': 'QPL-1.0',
  'License :: OSI Approved :: Ricoh Source Code Public License': 'RSCPL',
  'License :: OSI Approved :: SIL Open Font License 1.1 (OFL-1.1)': 'OFL-1.1',
  'License :: OSI Approved :: Sleepycat License': 'Sleepycat',
  'License :: OSI Approved :: Sun Industry Standards Source License (SISSL)': 'SISSL',
  'License :: OSI Approved :: Sun Public License': 'SPL-1.0',
  'License :: OSI Approved :: The Unlicense (Unlicense)': 'Unlicense',
  'License :: OSI Approved :: Universal Permissive License (UPL)': 'UPL-1.0',
  'License :: OSI Approved :: University of Illinois/NCSA Open Source License': 'NCSA',
  'License :: OSI Approved :: Vovida Software License 1.0': 'VSL-1.0',
  'License :: OSI Approved :: W3C License': 'W3C',
  'License :: OSI Approved :: X.Net License': 'Xnet',
  'License :: OSI Approved :: Zero-Clause BSD (0BSD)': '0BSD',
  'License :: OSI Approved :: zlib/libpng License': 'Zlib',
};

/**
 * Classifiers that group others and name no license themselves: `License :: OSI Approved` is
 * listed beside the specific one (`… :: MIT License`) and adds nothing to read.
 */
const CATEGORIES = new Set(['License :: OSI Approved', 'License :: DFSG approved']);

const BY_LOWER_CASE = new Map(Object.entries(TROVE_LICENSES).map(([classifier, id]) => [normalizeClassifier(classifier), id]));

function normalizeClassifier(text: string): string {
  return text
    .split('::')
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .join(' :: ')
    .toLowerCase();
}

export function isLicenseClassifier(text: string): boolean {
  return /^\s*License\s*::/i.test(text);
}

/** Whether the classifier only groups others (`License :: OSI Approved`). */
export function isCategoryClassifier(text: string): boolean {
  return CATEGORIES.has(text.trim().split(/\s*::\s*/).join(' :: '));
}

/** The SPDX expression of a `License ::` classifier (spacing and case forgiven); undefined when it names none. */
export function classifierLicense(classifier: string): string | undefined {
  return BY_LOWER_CASE.get(normalizeClassifier(classifier));
}
