"""The framework table: what each web framework a package depends on provides without a package
of its own, and which file names it reserves.

A framework resolves some module specifiers itself (Next.js's ``server-only``, SvelteKit's
``$app/*``, Astro's ``astro:*``, Nuxt's ``#imports``), and gives some file names a meaning
(Next.js's ``not-found.tsx`` is the 404 page: renaming it to ``notFound.tsx`` deletes the page).
The import checker (FA101/FA104) asks :func:`provides_module`, the convention checker (FA401)
asks :func:`reserves_file_name` — both only for a package (or the workspace root's package) that
really depends on the framework, so the table never hides a fault in a project that does not use
it. Each entry names where the framework documents it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Framework:
    name: str
    packages: tuple[str, ...]  # depending on any of these means using the framework
    modules: tuple[str, ...] = ()  # exact specifiers, or prefixes ending in '/', ':' or '*'
    files: tuple[str, ...] = ()  # reserved base names (no extension), or patterns in /…/
    sources: tuple[str, ...] = field(default=())  # where the framework documents the entries

    def provides(self, spec: str) -> bool:
        for entry in self.modules:
            if entry.endswith("*"):
                if spec.startswith(entry[:-1]):
                    return True
            elif entry.endswith(("/", ":")):
                if spec.startswith(entry) or spec == entry[:-1]:
                    return True
            elif spec == entry:
                return True
        return False

    def reserves(self, base: str) -> bool:
        for entry in self.files:
            if entry.startswith("/") and entry.endswith("/"):
                if re.fullmatch(entry[1:-1], base):
                    return True
            elif base == entry:
                return True
        return False


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "Next.js",
        ("next",),
        modules=("server-only", "client-only"),
        files=(
            "page",
            "layout",
            "route",
            "loading",
            "error",
            "not-found",
            "global-error",
            "global-not-found",
            "forbidden",
            "unauthorized",
            "template",
            "default",
            "middleware",
            "proxy",
            "instrumentation",
            "instrumentation-client",
            "opengraph-image",
            "twitter-image",
            "icon",
            "apple-icon",
            "sitemap",
            "robots",
            "manifest",
            "_app",
            "_document",
            "_error",
            "404",
            "500",
        ),
        sources=(
            "next/types/global.d.ts (declares 'server-only' and 'client-only'); "
            "nextjs.org/docs/app/getting-started/server-and-client-components",
            "nextjs.org/docs/app/api-reference/file-conventions",
        ),
    ),
    Framework(
        "Nuxt",
        ("nuxt", "nuxt3"),
        # `#imports`, `#app`, `#components`, `#build/…`: every `#` alias is Nuxt's; `~/`, `@/` the srcDir
        modules=("#*", "~/", "~~/", "@/", "@@/", "~"),
        files=("app", "error", "app.config", "nuxt.config"),
        sources=("nuxt.com/docs/guide/concepts/auto-imports (#imports)", "nuxt.com/docs/guide/directory-structure"),
    ),
    Framework(
        "SvelteKit",
        ("@sveltejs/kit",),
        modules=("$app/", "$env/", "$lib", "$lib/", "$service-worker"),
        files=(r"/\+(page|layout|server|error)(\.server)?/", "hooks.server", "hooks.client", "hooks"),
        sources=(
            "@sveltejs/kit/types/index.d.ts (declare module '$app/…', '$env/…', '$service-worker')",
            "svelte.dev/docs/kit/routing",
        ),
    ),
    Framework(
        "Astro",
        ("astro",),
        modules=("astro:",),
        files=(r"/\[\.{0,3}[\w-]+\]/", "middleware", "content.config"),
        sources=(
            "astro/client.d.ts (declare module 'astro:content', 'astro:assets' …)",
            "docs.astro.build/en/guides/routing",
        ),
    ),
    Framework(
        "Remix / React Router",
        ("@remix-run/react", "@remix-run/node", "@remix-run/dev", "@react-router/dev", "react-router"),
        # React Router 7's route module types: `import type { Route } from './+types/home'`, generated
        modules=("./+types/",),
        files=(
            "root",
            "entry.client",
            "entry.server",
            "routes",
            "_index",
            r"/[\w.-]*\$[\w.$-]*/",
            r"/_[\w-]+(\.[\w$-]+)*/",
        ),
        sources=(
            "reactrouter.com/explanation/type-safety (./+types/<route>)",
            "remix.run/docs/en/main/file-conventions/routes",
        ),
    ),
    Framework(
        "Vite",
        ("vite",),
        modules=("virtual:", "/@vite/"),
        sources=("vite.dev/guide/api-plugin#virtual-modules-convention",),
    ),
    Framework(
        "Vitest",
        ("vitest",),
        files=("vitest.config", "vitest.workspace", "vitest.setup"),
        sources=("vitest.dev/config/",),
    ),
    Framework(
        "unplugin-icons",
        ("unplugin-icons",),
        modules=("~icons/",),
        sources=("github.com/unplugin/unplugin-icons#usage (~icons/<collection>/<icon>)",),
    ),
    Framework(
        "Docusaurus",
        ("@docusaurus/core",),
        modules=("@theme/", "@theme-original/", "@theme-init/", "@site/", "@generated/", "@docusaurus/"),
        sources=("docusaurus.io/docs/advanced/client#theme-aliases",),
    ),
    Framework(
        "Expo Router",
        ("expo-router",),
        files=("_layout", "+not-found", "+html", "+native-intent", r"/[\w-]*\+api/", r"/\[\.{0,3}[\w-]+\]/"),
        sources=("docs.expo.dev/router/basics/notation",),
    ),
)


def used_by(*manifests) -> tuple[Framework, ...]:
    """The frameworks any of the given package manifests (None skipped) depends on."""
    return tuple(
        f
        for f in FRAMEWORKS
        if any(m is not None and any(m.declared(p) is not None for p in f.packages) for m in manifests)
    )


def provides_module(spec: str, *manifests) -> Framework | None:
    """The framework (used by one of ``manifests``) that resolves ``spec`` itself, if any."""
    return next((f for f in used_by(*manifests) if f.provides(spec)), None)


def reserves_file_name(base: str, *manifests) -> Framework | None:
    """The framework (used by one of ``manifests``) that gives the file name ``base`` a meaning."""
    return next((f for f in used_by(*manifests) if f.reserves(base)), None)
